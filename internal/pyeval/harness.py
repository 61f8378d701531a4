"""lessonl's Python test harness: runs one candidate's hidden tests in this
process and reports each result as a JSON line on fd 3.

It is started by internal/pyeval inside the evaluate sandbox, as
`python3 -I -B harness.py`. Its configuration (the tests, the expected
outputs, the time limits) arrives as one JSON document on fd 4, so nothing
of it lies on disk for the candidate to read. The candidate's own stdout
and stderr go to a sink, so a print cannot pass for a result; every line
on fd 3 carries the nonce from the configuration, and only the process
that started the harness writes (a forked child exits instead).
"""

import ast
import base64
import copy
import io
import json
import math
import os
import pickle
import signal
import sys
import time

RESULTS_FD = 3
CONFIG_FD = 4
FLOAT_MARKER = "$lessonl_float"
MAIN_PID = os.getpid()


class TestTimeout(BaseException):
    """Raised by the alarm when a test passes its time limit. It derives
    from BaseException so that `except Exception` in a candidate does not
    swallow it."""


class Sink(io.TextIOBase):
    """Swallows what the candidate prints, as EvalPlus does, so that
    prints neither reach the output cap nor slow the run."""

    def write(self, s):
        return len(s)

    def writable(self):
        return True


def emit(nonce, **fields):
    if os.getpid() != MAIN_PID:
        os._exit(0)
    fields["n"] = nonce
    data = (json.dumps(fields) + "\n").encode()
    while data:
        data = data[os.write(RESULTS_FD, data):]


def short(v, n=200):
    try:
        s = repr(v)
    except BaseException as e:  # a candidate's __repr__ may raise
        s = "<unprintable %s: %s>" % (type(v).__name__, type(e).__name__)
    return s if len(s) <= n else s[:n] + "..."


def describe(e):
    msg = str(e)
    return type(e).__name__ + (": " + msg if msg else "")


_fired = [False]


def _alarm(signum, frame):
    _fired[0] = True
    raise TestTimeout()


def limited(seconds, fn, *args):
    """Calls fn(*args) with a wall-clock alarm and the candidate's I/O
    swallowed; raises TestTimeout past the limit even when the candidate
    caught the alarm's exception."""
    _fired[0] = False
    saved = sys.stdout, sys.stderr, sys.stdin
    sys.stdout, sys.stderr, sys.stdin = Sink(), Sink(), io.StringIO()
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        out = fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout, sys.stderr, sys.stdin = saved
        if os.getpid() != MAIN_PID:
            os._exit(0)
    if _fired[0]:
        raise TestTimeout()
    return out


def decode_floats(obj):
    if len(obj) == 1 and FLOAT_MARKER in obj:
        return float(obj[FLOAT_MARKER])
    return obj


# ---- EvalPlus's comparison rules, in our words ----

def is_floats(x):
    if isinstance(x, float):
        return True
    if isinstance(x, (list, tuple)) and x:
        return all(isinstance(i, float) for i in x)
    return False


def allclose(a, b, rtol, atol):
    """numpy.allclose for nested sequences of numbers of equal shape."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(allclose(x, y, rtol, atol) for x, y in zip(a, b))
    num = (int, float, complex)
    if not isinstance(a, num) or not isinstance(b, num):
        return False
    if a == b:
        return True
    if any(isinstance(v, float) and (math.isnan(v) or math.isinf(v)) for v in (a, b)):
        return False
    return abs(a - b) <= atol + rtol * abs(b)


def poly(xs, x):
    return sum(c * math.pow(x, i) for i, c in enumerate(xs))


def pyramid_surface(edge, height):
    slant = math.sqrt((edge / 2) ** 2 + height ** 2)
    return round(edge ** 2 + 2 * edge * slant)


def padded_digit_distance(a, b):
    sa, sb = str(a), str(b)
    w = max(len(sa), len(sb))
    return sum(abs(int(x) - int(y)) for x, y in zip(sa.zfill(w), sb.zfill(w)))


def matches(out, exp, args, atol, oracle):
    """Returns None when out is accepted, else why not."""
    if oracle == "poly_root":
        v = poly(*args, out)
        return None if abs(v) <= atol else "poly(xs, %s) = %s, not within %g of 0" % (short(out), short(v), atol)
    exact = out == exp
    if oracle == "always":
        exact = True
    elif oracle == "or_zero":
        exact = exact or out == 0
    elif oracle == "surface_area":
        exact = exact or abs(out - pyramid_surface(*args)) <= atol
    elif oracle == "digit_distance":
        exact = exact or out == padded_digit_distance(*args)
    elif oracle == "set_eq":
        exact = set(out) == set(exp)
    elif oracle == "not_none":
        exact = out == exp if isinstance(out, bool) else exp == (out is not None)
    if atol == 0 and is_floats(exp):
        atol = 1e-6
    if not exact and atol != 0:
        ok = type(out) == type(exp)
        if ok and isinstance(exp, (list, tuple)):
            ok = len(out) == len(exp)
        if ok and allclose(out, exp, 1e-07, atol):
            return None
    elif exact:
        return None
    return "returned %s, expected %s" % (short(out), short(exp))


# ---- MBPP+ argument conversions (EvalPlus stores them as JSON) ----

def deep_tuple(v):
    return tuple(deep_tuple(i) for i in v) if isinstance(v, list) else v


def convert(rule, args):
    if not rule:
        return args
    a = list(args)
    if rule == "args_tuple":
        return [tuple(x) for x in a]
    if rule == "args_inner_tuples":
        return [[tuple(y) for y in x] for x in a]
    if rule == "args_tuple_tuples":
        return [tuple(tuple(y) for y in x) for x in a]
    if rule == "first_inner":
        return [[tuple(y) for y in a[0]]] + a[1:]
    if rule == "first_tuple":
        return [tuple(a[0])] + a[1:]
    if rule == "second_tuple":
        return [a[0], tuple(a[1])] + a[2:]
    if rule == "first_mixed":
        return [tuple(tuple(i) if isinstance(i, list) else i for i in a[0])] + [tuple(x) for x in a[1:]]
    if rule == "first_sets":
        return [[set(i) if isinstance(i, list) and i else {} for i in a[0]]] + a[1:]
    if rule == "float_complex":
        return [float(a[0]), complex(a[1])]
    if rule == "complex":
        return [complex(a[0])] + a[1:]
    if rule == "dict_tuples":
        return [{k: tuple(v) for k, v in a[0].items()}] + a[1:]
    if rule == "deep_tuple":
        return list(deep_tuple(a))
    raise ValueError("unknown conversion " + rule)


# ---- HumanEval's check(candidate), one test per asserting statement ----

def has_assert(node):
    for n in ast.walk(node):
        if isinstance(n, ast.Assert) and not (isinstance(n.test, ast.Constant) and n.test.value is True):
            return True
    return False


def check_tests(source):
    """Splits check()'s body into tests: each statement that asserts,
    with the statements before it that do not as its setup. Returns the
    module without check's calls, the parameter name and the groups."""
    tree = ast.parse(source)
    check = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "check"), None)
    if check is None or not check.args.args:
        raise ValueError("the test code defines no check(candidate)")
    groups, pending = [], []
    for stmt in check.body:
        pending.append(stmt)
        if has_assert(stmt):
            groups.append(pending)
            pending = []
    if pending and groups:
        groups[-1].extend(pending)
    elif pending:
        groups.append(pending)
    return tree, check.args.args[0].arg, groups


def main():
    with os.fdopen(CONFIG_FD, "rb") as f:
        cfg = json.loads(f.read(), object_hook=decode_floats)
    nonce = cfg["nonce"]
    signal.signal(signal.SIGALRM, _alarm)
    limits = cfg.get("limits") or []
    default_limit = cfg["default_limit"]

    def limit(i):
        return limits[i] if i < len(limits) else default_limit

    check = None
    if cfg.get("check"):
        tree, param, groups = check_tests(cfg["check"])
        check = (tree, param, groups)
        total = len(groups)
    else:
        total = len(cfg["inputs"])
    emit(nonce, ev="tests", total=total)

    with open(cfg["candidate"], "rb") as f:
        src = f.read()
    try:
        code = compile(src, "candidate.py", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        emit(nonce, ev="syntax", msg=describe(e))
        return
    ns = {"__name__": "__candidate__", "__builtins__": __builtins__}
    try:
        limited(default_limit, exec, code, ns)
        fn = ns.get(cfg["entry_point"])
        if not callable(fn):
            raise NameError("the candidate defines no function %s" % cfg["entry_point"])
    except TestTimeout:
        emit(nonce, ev="load", msg="loading the candidate took longer than %gs" % default_limit, timeout=True)
        return
    except BaseException as e:
        emit(nonce, ev="load", msg=describe(e), timeout=False)
        return
    emit(nonce, ev="loaded")

    fail_fast = cfg.get("fail_fast", False)
    reference = cfg.get("mode") == "reference"
    outputs, times = [], []
    if check is not None:
        tree, param, groups = check
        tg = dict(ns)
        body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Call))]
        try:
            limited(default_limit, exec, compile(ast.Module(body=body, type_ignores=[]), "test.py", "exec"), tg)
        except BaseException as e:
            emit(nonce, ev="load", msg="the tests' own code failed: " + describe(e), timeout=False)
            return
        tg[param] = fn
        for i, group in enumerate(groups):
            stmt = compile(ast.Module(body=group, type_ignores=[]), "test.py", "exec")
            start = time.perf_counter()
            try:
                limited(limit(i), exec, stmt, tg)
                ok, msg, to = True, "", False
            except TestTimeout:
                ok, msg, to = False, "time limit %.3gs passed" % limit(i), True
            except AssertionError as e:
                text = ast.unparse(group[-1])
                ok, msg, to = False, (text[:300] + (": " + str(e) if str(e) else "")), False
            except BaseException as e:
                ok, msg, to = False, "%s raised %s" % (ast.unparse(group[-1])[:300], describe(e)), False
            times.append(time.perf_counter() - start)
            emit(nonce, ev="test", i=i, ok=ok, msg=msg, timeout=to)
            if to or (fail_fast and not ok):
                break
    else:
        expected = None
        if not reference:
            expected = pickle.loads(base64.b64decode(cfg["expected"]))
        atol, oracle, rule = cfg.get("atol", 0), cfg.get("oracle", ""), cfg.get("convert", "")
        for i, raw in enumerate(cfg["inputs"]):
            args = convert(rule, copy.deepcopy(raw))
            shown = copy.deepcopy(args)
            start = time.perf_counter()
            try:
                out = limited(limit(i), fn, *args)
                elapsed = time.perf_counter() - start
                if reference:
                    outputs.append((out is not None) if oracle == "not_none" else out)
                    times.append(elapsed)
                    ok, msg, to = True, "", False
                else:
                    why = matches(out, expected[i], shown, atol, oracle)
                    ok, msg, to = why is None, "", False
                    if why is not None:
                        msg = "%s(%s) %s" % (cfg["entry_point"], short(shown, 300)[1:-1], why)
            except TestTimeout:
                ok, msg, to = False, "time limit %.3gs passed on %s" % (limit(i), short(shown, 300)), True
            except BaseException as e:
                ok, msg, to = False, "%s(%s) raised %s" % (cfg["entry_point"], short(shown, 300)[1:-1], describe(e)), False
            emit(nonce, ev="test", i=i, ok=ok, msg=msg, timeout=to)
            if to or (fail_fast and not ok) or (reference and not ok):
                break
    if reference:
        data = base64.b64encode(pickle.dumps(outputs)).decode() if check is None else ""
        emit(nonce, ev="reference", expected=data, times=times)
    emit(nonce, ev="done")


if __name__ == "__main__":
    main()
