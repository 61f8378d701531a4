
# ---- judge.py: lessonl's Python judge ----
#
# internal/pyeval starts this as `python3 -I -B judge.py` in a sandbox of
# its own (its own folder, user and PID namespace), and the candidate's
# process (worker.py) in another. The judge holds the tests and the
# expected values, and never loads the candidate's code: the entry point
# the tests call is a proxy that sends the call's arguments to the
# candidate's process over a pipe (fd 5) and reads back the result as plain
# data (fd 6), so what the tests compare, whatever their form (assert
# f(x) == y, abs(f(x) - y) < eps, loops in check(candidate), EvalPlus's
# oracles), are builtin values built here. The configuration (tests,
# expected outputs, limits) arrives on fd 4; the report goes out on fd 3,
# one JSON line per event with the run's nonce. Neither is open in the
# candidate's process, which can reach nothing of this one.

import ast
import builtins
import copy
import math
import signal
import sys
import time

RESULTS_FD = 3
CONFIG_FD = 4
REQUEST_FD = 5
REPLY_FD = 6
FLOAT_MARKER = "$lessonl_float"


class TestTimeout(BaseException):
    """Raised by the alarm when a test passes its time limit. It derives
    from BaseException so that a test's `except Exception` does not
    swallow it."""


class CandidateFault(BaseException):
    """A call whose result is no value: the candidate's process ended,
    sent a malformed reply or a value that is not plain data. It derives
    from BaseException so that a test's `except Exception` does not
    swallow it; the test fails whatever it does with it."""


class Opaque:
    """Stands for a value the candidate returned that is not plain data,
    where the problem's oracle looks only at whether it is None
    (EvalPlus's not_none: the canonical solutions return re.Match
    objects) or at nothing (always). It is the judge's own object: it
    equals nothing but itself."""

    __slots__ = ()

    def __repr__(self):
        return "<a value that is not plain data>"


OPAQUE = Opaque()


class CandidateRaised(Exception):
    """The candidate raised an exception that is not one of Python's own
    (its class, and so its behaviour, stays in its process)."""

    def __init__(self, name, msg):
        super().__init__(msg)
        self.name = name


def undumpable():
    """Makes this process non-dumpable, so that a process of the same
    user can neither ptrace it nor read its memory through /proc. Only
    where the sandbox gives no process a /proc of its own (no bubblewrap)
    does the candidate see the judge at all; importing ctypes costs a
    few ms, so elsewhere it is skipped."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE
    except Exception:
        pass


def emit(nonce, **fields):
    fields["n"] = nonce
    data = (json.dumps(fields) + "\n").encode()
    while data:
        data = data[os.write(RESULTS_FD, data):]


def short(v, n=200):
    try:
        s = repr(v)
    except BaseException as e:  # an int past the digit limit
        s = "<unprintable %s: %s>" % (type(v).__name__, type(e).__name__)
    return s if len(s) <= n else s[:n] + "..."


def describe(e):
    name = e.name if isinstance(e, CandidateRaised) else type(e).__name__
    msg = str(e)
    return name + (": " + msg if msg else "")


_fired = [False]


def _alarm(signum, frame):
    _fired[0] = True
    raise TestTimeout()


def limited(seconds, fn, *args):
    """Calls fn(*args) with a wall-clock alarm; raises TestTimeout past the
    limit even when the code it ran caught the alarm's exception."""
    _fired[0] = False
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        out = fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    if _fired[0]:
        raise TestTimeout()
    return out


def decode_floats(obj):
    if len(obj) == 1 and FLOAT_MARKER in obj:
        return float(obj[FLOAT_MARKER])
    return obj


class Candidate:
    """The judge's side of the candidate's process: it loads the
    candidate there and forwards calls. gone says why the process can no
    longer answer; ended says the process itself is gone (its exit then
    tells why), not only out of step."""

    def __init__(self):
        self.seq = 0
        self.gone = ""
        self.ended = False
        self.fault = False  # a call in the current test got no value
        self.opaque = False  # a value that is not plain data stands as OPAQUE

    def _stop(self, why, ended=False):
        if not self.gone:
            self.gone, self.ended = why, ended
        self.fault = True
        raise CandidateFault(self.gone)

    def exchange(self, msg):
        """Sends msg and returns the reply; marks the channel gone when the
        exchange does not complete (an alarm in the middle leaves it out of
        step)."""
        if self.gone:
            self.fault = True
            raise CandidateFault(self.gone)
        data = frame(msg)
        if data is None:
            raise TypeError("the arguments are larger than the %d-byte cap" % MAX_FRAME)
        done = False
        try:
            write_all(REQUEST_FD, data)
            rep = recv(REPLY_FD)
            done = True
        except Closed:
            done = True
            self._stop("the candidate's process ended or closed its channel", ended=True)
        except NotPlain as e:
            done = True
            self._stop("the candidate's process sent a malformed reply: %s" % e)
        finally:
            if not done and not self.gone:
                self.gone = "the candidate's process is out of step after an interrupted call"
        if type(rep) is not dict:
            self._stop("the candidate's process sent a malformed reply")
        return rep

    def load(self, path, entry):
        return self.exchange({"path": path, "entry": entry})

    def __call__(self, *args, **kwargs):
        return self.call("", args, kwargs)

    def function(self, name):
        """A proxy for another function of the candidate's module, which
        the tests call by name (LLM-written tests call helpers so)."""
        def proxy(*args, **kwargs):
            return self.call(name, args, kwargs)
        proxy.__name__ = name
        return proxy

    def call(self, name, args, kwargs):
        """Calls the candidate's function name ("" the entry point) in its
        process and returns the result, rebuilt from plain data."""
        try:
            wire = encode(list(args))
            kw = encode(kwargs)
        except NotPlain as e:
            raise TypeError("an argument cannot be sent to the candidate: %s" % e)
        self.seq += 1
        rep = self.exchange({"seq": self.seq, "fn": name, "args": wire, "kwargs": kw})
        if rep.get("seq") != self.seq:
            self._stop("the candidate's process answered out of turn")
        if "value" in rep:
            try:
                return decode(rep["value"])
            except (NotPlain, RecursionError) as e:
                self.fault = True
                raise CandidateFault("the candidate returned a malformed value: %s" % e)
        if "not_plain" in rep and self.opaque:
            return OPAQUE
        if "not_plain" in rep:
            self.fault = True
            raise CandidateFault("the candidate %s" % str(rep["not_plain"])[:300])
        name, msg = rep.get("raised"), rep.get("msg")
        if type(name) is not str or type(msg) is not str:
            self._stop("the candidate's process sent a malformed reply")
        raise rebuilt(name, msg[:2000])


def rebuilt(name, msg):
    """The exception the candidate raised, as one of Python's own when its
    name is one (a test may expect a ValueError), else CandidateRaised."""
    cls = getattr(builtins, name, None)
    if isinstance(cls, type) and issubclass(cls, Exception) and not issubclass(cls, (StopIteration, StopAsyncIteration)):
        try:
            e = cls(msg)
            if type(e) is cls:
                return e
        except Exception:
            pass
    return CandidateRaised(name, msg)


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


def prompt_names(prompt, entry_point):
    """Runs the problem's prompt (dataset text: its imports and helper
    functions, such as HumanEval's poly or encode_cyclic, which tests use)
    statement by statement, skipping any that fails, and returns the
    names it defines."""
    g = {"__name__": "__test__"}
    try:
        tree = ast.parse(prompt)
    except (SyntaxError, ValueError):
        try:
            tree = ast.parse(prompt + "    pass\n")
        except (SyntaxError, ValueError):
            return g
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt.name == entry_point:
            continue
        try:
            exec(compile(ast.Module(body=[stmt], type_ignores=[]), "prompt.py", "exec"), g)
        except Exception:
            pass
    return g


def main():
    if "--undumpable" in sys.argv:
        undumpable()
    with os.fdopen(CONFIG_FD, "rb") as f:
        cfg = json.loads(f.read(), object_hook=decode_floats)
    nonce = cfg["nonce"]
    signal.signal(signal.SIGALRM, _alarm)
    limits = cfg.get("limits") or []
    default_limit = cfg["default_limit"]
    entry = cfg["entry_point"]

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

    cand = Candidate()
    try:
        rep = limited(default_limit, cand.load, cfg["candidate"], entry)
    except TestTimeout:
        emit(nonce, ev="load", msg="loading the candidate took longer than %gs" % default_limit, timeout=True)
        return
    except CandidateFault as e:
        emit(nonce, ev="load", msg="loading the candidate failed: %s" % e, timeout=False, gone=cand.ended)
        return
    if "syntax" in rep:
        emit(nonce, ev="syntax", msg=str(rep["syntax"])[:2000])
        return
    if rep.get("loaded") is not True:
        emit(nonce, ev="load", msg=str(rep.get("error", "the candidate's process sent a malformed reply"))[:2000], timeout=False)
        return
    emit(nonce, ev="loaded")

    fail_fast = cfg.get("fail_fast", False)
    reference = cfg.get("mode") == "reference"
    outputs, times = [], []

    def report(i, ok, msg, to):
        emit(nonce, ev="test", i=i, ok=ok, msg=msg, timeout=to, gone=cand.ended)
        return to or cand.gone != "" or (fail_fast and not ok)

    if check is not None:
        tree, param, groups = check
        tg = prompt_names(cfg.get("prompt", ""), entry)
        body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Call))]
        try:
            limited(default_limit, exec, compile(ast.Module(body=body, type_ignores=[]), "test.py", "exec"), tg)
        except BaseException as e:
            emit(nonce, ev="load", msg="the tests' own code failed: " + describe(e), timeout=False)
            return
        tg[param] = cand
        tg[entry] = cand
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        for name in rep.get("functions", []):
            if type(name) is str and name in used and name not in tg and not hasattr(builtins, name):
                tg[name] = cand.function(name)
        for i, group in enumerate(groups):
            stmt = compile(ast.Module(body=group, type_ignores=[]), "test.py", "exec")
            cand.fault = False
            try:
                limited(limit(i), exec, stmt, tg)
                ok, msg, to = True, "", False
            except TestTimeout:
                ok, msg, to = False, "time limit %.3gs passed" % limit(i), True
            except AssertionError as e:
                text = ast.unparse(group[-1])
                ok, msg, to = False, (text[:300] + (": " + str(e) if str(e) else "")), False
            except CandidateFault as e:
                ok, msg, to = False, "%s: %s" % (ast.unparse(group[-1])[:300], e), False
            except BaseException as e:
                ok, msg, to = False, "%s raised %s" % (ast.unparse(group[-1])[:300], describe(e)), False
            if ok and cand.fault:
                ok, msg = False, "%s: %s" % (ast.unparse(group[-1])[:300], cand.gone or "a call got no value")
            if report(i, ok, msg, to):
                break
    else:
        expected = None
        if not reference:
            expected = decode(json.loads(cfg["expected"]))
        atol, oracle, rule = cfg.get("atol", 0), cfg.get("oracle", ""), cfg.get("convert", "")
        cand.opaque = oracle in ("not_none", "always")
        for i, raw in enumerate(cfg["inputs"]):
            args = convert(rule, copy.deepcopy(raw))
            cand.fault = False
            start = time.perf_counter()
            try:
                out = limited(limit(i), cand, *args)
                elapsed = time.perf_counter() - start
                if reference and type(out) is type(iter([])):
                    raise TypeError("the canonical solution returned an iterator, which cannot be an expected output")
                if reference:
                    outputs.append((out is not None) if oracle == "not_none" else (None if out is OPAQUE else out))
                    times.append(elapsed)
                    ok, msg, to = True, "", False
                else:
                    why = limited(limit(i), matches, out, expected[i], args, atol, oracle)
                    ok, msg, to = why is None, "", False
                    if why is not None:
                        msg = "%s(%s) %s" % (entry, short(args, 300)[1:-1], why)
            except TestTimeout:
                ok, msg, to = False, "time limit %.3gs passed on %s" % (limit(i), short(args, 300)), True
            except CandidateFault as e:
                ok, msg, to = False, "%s(%s): %s" % (entry, short(args, 300)[1:-1], e), False
            except BaseException as e:
                ok, msg, to = False, "%s(%s) raised %s" % (entry, short(args, 300)[1:-1], describe(e)), False
            if report(i, ok, msg, to) or (reference and not ok):
                break
    if reference:
        data = json.dumps(encode(outputs)) if check is None else ""
        emit(nonce, ev="reference", expected=data, times=times)
    emit(nonce, ev="done")


if __name__ == "__main__":
    main()
