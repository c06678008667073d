# Hello, Python: state persists between runs of the same session.
import platform
import sys

print("Python", platform.python_version(), "on", sys.platform)
counter = globals().get("counter", 0) + 1
print("this session has run this snippet", counter, "time(s)")
counter
