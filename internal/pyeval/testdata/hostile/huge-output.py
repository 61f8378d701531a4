# Class: a result past the size cap (65 MiB of text).
def add(a, b):
    return "x" * (65 << 20)
