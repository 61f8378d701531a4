# Class: a result far past the size cap (96 MiB of text).
def add(a, b):
    return "x" * (96 << 20)
