# Welcome to AgentBay Playground.
# Press Ctrl+Enter to run this in the local sandbox; switch the profile to run it in AgentBay.
import platform

print("Hello from", platform.python_implementation(), platform.python_version())
squares = [n * n for n in range(10)]
print("squares:", squares)
sum(squares)
