# Class: a result nested far deeper than any real answer.
def add(a, b):
    v = a + b
    for _ in range(100000):
        v = [v]
    return v
