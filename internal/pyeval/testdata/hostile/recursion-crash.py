# Class: a recursion bomb through C code (map) with the recursion limit
# lifted, which overflows the interpreter's C stack and kills it.
import sys

sys.setrecursionlimit(10**8)


def add(a, b):
    def down(n):
        return list(map(down, [n + 1]))

    return down(0)
