# A run that times out: this snippet's timeout is 3 s. The run is stopped, earlier output is
# kept, and the session stays usable for the next run.
import time

for second in range(10):
    print("still running after", second, "s", flush=True)
    time.sleep(1)
