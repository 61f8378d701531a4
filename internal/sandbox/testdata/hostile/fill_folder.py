# Writes 2 GiB into its own folder, 1 MiB at a time. Exit 0 if all of it
# was written; 4 if a write failed.
import sys
import time

buf = b"x" * (1 << 20)
try:
    with open("fill", "wb") as f:
        for _ in range(2048):
            f.write(buf)
            f.flush()
except OSError as e:
    print("stopped:", e, flush=True)
    time.sleep(2)
    sys.exit(4)
sys.exit(0)
