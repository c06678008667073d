# An error: the Errors pane lists the frames; click one to jump to its line.
def parse(text):
    return int(text)


def total(items):
    return sum(parse(item) for item in items)


print(total(["1", "2", "three"]))
