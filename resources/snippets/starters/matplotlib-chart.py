# A matplotlib chart: plt.show() turns the figure into an image card.
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

xs = [x / 10 for x in range(0, 63)]
plt.figure(figsize=(5, 3))
plt.plot(xs, [math.sin(x) for x in xs], label="sin")
plt.plot(xs, [math.cos(x) for x in xs], label="cos")
plt.legend()
plt.title("sin and cos")
plt.show()
