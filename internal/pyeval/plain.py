"""Plain data across the process boundary between the judge and the
candidate's process (internal/pyeval prepends this file to judge.py and
worker.py).

A value is plain when it is None or of one of the builtin types bool, int,
float, complex, str, bytes, list, tuple, dict, set, frozenset, exactly (a
subclass is not plain: its __eq__ could say anything), down to every
element. An iterator (a generator, map, zip...) is sent as its items and
rebuilt as an iterator over them. On the wire it is JSON: None, bool, str,
float, int and list as themselves, everything else as a one-key object
naming its type ("t" tuple, "d" dict as [key, value] pairs, "s" set, "f"
frozenset, "b" bytes in base64, "c" complex, "i" an int too large for a
JSON number, in hex, "g" an iterator's items).
decode() builds only these types, so whatever a candidate's process sends,
the judge holds nothing but builtin values afterwards.
"""

import base64
import json
import os
import struct

MAX_DEPTH = 200
MAX_FRAME = 64 << 20  # bytes of one message
MAX_ITEMS = 10 ** 7  # items of one iterator
_BIG = 1 << 62


class NotPlain(Exception):
    """A value that is not plain data, or a malformed message."""


def encode(v, depth=0, adapt=None):
    """Returns v's wire form; raises NotPlain for a value that is not
    plain data. adapt maps a non-plain type to a function that rebuilds
    its value as plain data (the worker's stdlib dict subclasses)."""
    if depth > MAX_DEPTH:
        raise NotPlain("nested deeper than %d" % MAX_DEPTH)
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        if -_BIG < v < _BIG:
            return v
        return {"i": ("-" if v < 0 else "") + format(abs(v), "x")}
    if t is float:
        return v
    if t is list:
        return [encode(x, depth + 1, adapt) for x in v]
    if t is tuple:
        return {"t": [encode(x, depth + 1, adapt) for x in v]}
    if t is dict:
        return {"d": [[encode(k, depth + 1, adapt), encode(x, depth + 1, adapt)] for k, x in v.items()]}
    if t is set:
        return {"s": [encode(x, depth + 1, adapt) for x in v]}
    if t is frozenset:
        return {"f": [encode(x, depth + 1, adapt) for x in v]}
    if t is bytes:
        return {"b": base64.b64encode(v).decode()}
    if t is complex:
        return {"c": [v.real, v.imag]}
    if adapt and t in adapt:
        return encode(adapt[t](v), depth + 1, adapt)
    if _is_iterator(v):
        items = []
        for x in v:
            if len(items) == MAX_ITEMS:
                raise NotPlain("an iterator of more than %d items" % MAX_ITEMS)
            items.append(encode(x, depth + 1, adapt))
        return {"g": items}
    raise NotPlain("a value of type %s is not plain data" % _type_name(t))


def _is_iterator(v):
    """Whether v is an iterator (a generator, map, zip...): it is sent as
    its items, and arrives as an iterator over them (a list_iterator), so
    that a test may consume it as it would the original, while it equals
    nothing but itself as the original did."""
    try:
        return iter(v) is v and hasattr(type(v), "__next__")
    except Exception:
        return False


def _type_name(t):
    try:
        name = t.__name__
    except BaseException:
        name = "?"
    return name if type(name) is str else "?"


def decode(j, depth=0):
    """Builds the plain value of a wire form; raises NotPlain for anything
    else."""
    if depth > MAX_DEPTH:
        raise NotPlain("nested deeper than %d" % MAX_DEPTH)
    t = type(j)
    if j is None or t is bool or t is str or t is int or t is float:
        return j
    if t is list:
        return [decode(x, depth + 1) for x in j]
    if t is not dict or len(j) != 1:
        raise NotPlain("malformed value")
    (tag, body), = j.items()
    try:
        if tag == "t" and type(body) is list:
            return tuple(decode(x, depth + 1) for x in body)
        if tag == "d" and type(body) is list:
            out = {}
            for pair in body:
                if type(pair) is not list or len(pair) != 2:
                    raise NotPlain("malformed dict")
                out[decode(pair[0], depth + 1)] = decode(pair[1], depth + 1)
            return out
        if tag == "g" and type(body) is list:
            return iter([decode(x, depth + 1) for x in body])
        if tag == "s" and type(body) is list:
            return set(decode(x, depth + 1) for x in body)
        if tag == "f" and type(body) is list:
            return frozenset(decode(x, depth + 1) for x in body)
        if tag == "b" and type(body) is str:
            return base64.b64decode(body, validate=True)
        if tag == "c" and type(body) is list and len(body) == 2 and all(type(x) in (int, float) for x in body):
            return complex(body[0], body[1])
        if tag == "i" and type(body) is str:
            return int(body, 16)  # linear in the digits, unlike base 10
    except NotPlain:
        raise
    except (TypeError, ValueError) as e:  # an unhashable key or element, bad base64
        raise NotPlain("malformed %s: %s" % (tag, e))
    raise NotPlain("malformed value")


class Closed(Exception):
    """The other end of the channel is gone."""


def frame(msg):
    """msg as one message on the wire, or None past the size cap."""
    data = json.dumps(msg, separators=(",", ":")).encode()
    if len(data) > MAX_FRAME:
        return None
    return struct.pack(">I", len(data)) + data


def send(fd, msg):
    data = frame(msg)
    if data is None:
        raise NotPlain("a message passes the %d-byte cap" % MAX_FRAME)
    write_all(fd, data)


def write_all(fd, data):
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except (BrokenPipeError, OSError) as e:
        raise Closed(str(e))


def _read(fd, n):
    parts = []
    while n > 0:
        try:
            b = os.read(fd, min(n, 1 << 20))
        except OSError as e:
            raise Closed(str(e))
        if not b:
            raise Closed("end of file")
        parts.append(b)
        n -= len(b)
    return b"".join(parts)


def recv(fd):
    """Reads one message: a 4-byte length, then that much JSON. Raises
    Closed at the end of the channel and NotPlain for a message that is
    too large or not JSON."""
    n, = struct.unpack(">I", _read(fd, 4))
    if n > MAX_FRAME:
        raise NotPlain("a message of %d bytes passes the %d-byte cap" % (n, MAX_FRAME))
    data = _read(fd, n)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as e:
        raise NotPlain("a message that is not JSON: %s" % e)
