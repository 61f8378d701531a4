# Class: a recursion bomb with the recursion limit lifted: Python frames
# grow on the heap until the time limit.
import sys

sys.setrecursionlimit(10**8)


def add(a, b):
    def down(n):
        return down(n + 1) + 1

    return down(0)
