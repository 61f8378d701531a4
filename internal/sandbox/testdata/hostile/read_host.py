# Reads the host file at argv[1]. Exit 0 and its text if it could; 3 if not.
import sys

try:
    with open(sys.argv[1]) as f:
        print(f.read())
    sys.exit(0)
except OSError as e:
    print("denied:", e)
    sys.exit(3)
