# Class: a reply frame header announcing 4 GiB, then silence.
import os
import time


def add(a, b):
    os.write(4, b"\xff\xff\xff\xff")
    time.sleep(30)
