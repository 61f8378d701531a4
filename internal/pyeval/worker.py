
# ---- worker.py: the candidate's process ----
#
# internal/pyeval starts this as `python3 -I -B worker.py` in the
# candidate's own sandbox, beside candidate.py. It knows no test and no
# expected value: the judge (judge.py, another process under another user)
# sends it a load request and then one call at a time on fd 3, and it
# answers each on fd 4 with the call's result as plain data, or the name
# and message of the exception the call raised. Everything here runs in
# the candidate's reach and is free to be replaced by it; the verdict is
# computed by the judge on the plain values it receives.

import collections
import io
import sys
import types

REQUEST_FD = 3
REPLY_FD = 4

# Standard dict subclasses a correct solution may return; each is sent as
# the dict it equals.
ADAPT = {collections.OrderedDict: dict, collections.defaultdict: dict, collections.Counter: dict}


class Sink(io.TextIOBase):
    """Swallows what the candidate prints, as EvalPlus does, so that
    prints neither reach the output cap nor slow the run."""

    def write(self, s):
        return len(s)

    def writable(self):
        return True


def describe(e):
    try:
        msg = str(e)
    except BaseException:
        msg = "<unprintable message>"
    return (type(e).__name__, msg[:2000])


MAIN_PID = os.getpid()


def call(fn, args, kwargs):
    return fn(*args, **kwargs)


def quiet(fn, *args):
    """Calls fn with the candidate's I/O swallowed. A child the candidate
    forked that comes back here exits, so that only this process answers
    (an honest candidate may fork; its children do not reply)."""
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = Sink(), Sink(), io.StringIO()
    try:
        return fn(*args)
    finally:
        if os.getpid() != MAIN_PID:
            os._exit(0)
        sys.stdout, sys.stderr, sys.stdin = saved


def main():
    req = recv(REQUEST_FD)
    with open(req["path"], "rb") as f:
        src = f.read()
    try:
        code = compile(src, "candidate.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        send(REPLY_FD, {"syntax": "%s: %s" % describe(e)})
        return
    ns = {"__name__": "__candidate__", "__builtins__": __builtins__}
    try:
        quiet(exec, code, ns)
        fn = ns.get(req["entry"])
        if not callable(fn):
            raise NameError("the candidate defines no function %s" % req["entry"])
    except BaseException as e:
        send(REPLY_FD, {"error": "%s: %s" % describe(e)})
        return
    functions = [k for k, v in ns.items() if type(k) is str and type(v) is types.FunctionType]
    send(REPLY_FD, {"loaded": True, "functions": functions})
    while True:
        try:
            req = recv(REQUEST_FD)
        except Closed:
            return
        seq = req["seq"]
        args, kwargs = decode(req["args"]), decode(req["kwargs"])
        target = ns.get(req["fn"]) if req["fn"] else fn
        try:
            out = quiet(call, target, args, kwargs)
        except BaseException as e:
            name, msg = describe(e)
            send(REPLY_FD, {"seq": seq, "raised": name, "msg": msg})
            continue
        try:
            wire = quiet(encode, out, 0, ADAPT)
        except NotPlain as e:
            send(REPLY_FD, {"seq": seq, "not_plain": "returned " + str(e)})
            continue
        except RecursionError:
            send(REPLY_FD, {"seq": seq, "not_plain": "returned a value nested too deep"})
            continue
        except BaseException as e:  # raised by a returned generator as it ran
            name, msg = describe(e)
            send(REPLY_FD, {"seq": seq, "raised": name, "msg": msg})
            continue
        try:
            send(REPLY_FD, {"seq": seq, "value": wire})
        except NotPlain as e:
            send(REPLY_FD, {"seq": seq, "not_plain": "returned too much data: " + str(e)})


if __name__ == "__main__":
    main()
