# Class: writing a forged reply frame of its own to the judge's pipe:
# a well-formed frame for the next call, claiming a value, then the real
# answer too, so that the judge's stream falls out of step.
import json
import os
import struct

seq = [0]


def add(a, b):
    seq[0] += 1
    msg = json.dumps({"seq": seq[0], "value": a + b}).encode()
    os.write(4, struct.pack(">I", len(msg)) + msg)
    return a + b
