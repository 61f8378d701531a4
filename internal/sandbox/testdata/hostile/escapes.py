# Tries to kill a host process (argv[1], its pid on the host), to attach
# to the namespace's first process with ptrace, and to become root.
# Prints each attempt; exit 0 if any succeeded, 3 if all were denied.
import ctypes
import os
import sys

succeeded = 0


def attempt(what, f):
    global succeeded
    try:
        r = f()
        if r is not None and r < 0:
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
        print(what + ": succeeded")
        succeeded += 1
    except OSError as e:
        print(what + ":", e)


libc = ctypes.CDLL(None, use_errno=True)
PTRACE_ATTACH = 16
attempt("kill the host process", lambda: os.kill(int(sys.argv[1]), 9))
attempt("ptrace pid 1", lambda: libc.ptrace(PTRACE_ATTACH, 1, None, None))
attempt("setuid 0", lambda: os.setuid(0))
attempt("setgid 0", lambda: os.setgid(0))
sys.exit(0 if succeeded else 3)
