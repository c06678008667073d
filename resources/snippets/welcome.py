# Welcome to AgentBay Playground.
# Press Ctrl+Enter to run this snippet in the local sandbox, or pick an AgentBay profile in the
# toolbar to run it in the cloud. Text output appears in Output; tables, images and charts
# appear as cards in Results; the Session pane shows the session's life.
import platform

print("Hello from", platform.python_implementation(), platform.python_version())


class Table:
    """Anything with a _repr_html_ method is shown as HTML."""

    def __init__(self, rows):
        self.rows = rows

    def _repr_html_(self):
        cells = "".join(f"<tr><td>{n}</td><td>{n * n}</td></tr>" for n in self.rows)
        return f"<table border='1' cellpadding='4'><tr><th>n</th><th>n²</th></tr>{cells}</table>"


display(Table(range(1, 6)))

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.figure(figsize=(4, 2.5))
    plt.plot([n * n for n in range(10)], marker="o")
    plt.title("squares")
    plt.show()  # the figure becomes an image card
except ImportError:
    print("(matplotlib is not installed where this runs, so there is no chart)")

# The value of the last expression is the main result.
sum(n * n for n in range(10))
