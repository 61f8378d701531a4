# Connects to the unix socket at argv[1], a path on the host (under its
# /tmp). Exit 0 and "connected" if it got through; 3 and why not else.
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
try:
    s.connect(sys.argv[1])
    s.sendall(b"hello\n")
    print("connected")
    sys.exit(0)
except OSError as e:
    print("denied:", e)
    sys.exit(3)
