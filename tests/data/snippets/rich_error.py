# For the screenshots: rich results (an HTML table and an image), then an error.
class Table:
    def _repr_html_(self):
        rows = "".join(f"<tr><td>{city}</td><td>{t} °C</td></tr>"
                       for city, t in [("Shanghai", 18), ("Singapore", 31), ("Hangzhou", 16)])
        return f"<table border='1' cellpadding='4'><tr><th>City</th><th>Temp</th></tr>{rows}</table>"


display(Table())

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.figure(figsize=(4, 2.5))
plt.bar(["Shanghai", "Singapore", "Hangzhou"], [18, 31, 16])
plt.title("temperatures")
plt.show()


def average(values):
    return sum(values) / len(values)


print("average of nothing:")
average([])
