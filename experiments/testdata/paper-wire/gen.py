#!/usr/bin/env python3
"""Golden request bodies of the authors' code, for the paper wire test.

Runs the official strategies of MITIBM-FastCoder/LessonL (commit 232336a;
code-opt/strategies/*.py and code-gen/*.py, unmodified) on fixed inputs:
one problem, scripted LLM replies and scripted evaluation results. Their
LLM clients, tokenizers, embedding models and benchmark drivers are
replaced by stubs that record every chat request the strategy makes and
answer from the script; everything else (prompt functions, control flow,
sampling parameters, code extraction, Python test execution) is theirs.
Each case is written as <name>.json beside this script: the inputs, the
evaluation results the Go side must report, and the requests in order.

    python3 experiments/testdata/paper-wire/gen.py /path/to/LessonL

The Go test experiments/paper_wire_test.go replays each case against a
protocol-paper cell over HTTP and compares the request bodies.
"""
import importlib
import json
import os
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------- stubs

class Script:
    """Scripted replies per model and the requests recorded in order."""

    def __init__(self, replies):
        self.replies = {m: list(r) for m, r in replies.items()}
        self.used = {m: 0 for m in replies}
        self.requests = []

    def chat(self, kw):
        model = kw["model"]
        n = self.used.get(model, 0)
        self.used[model] = n + 1
        body = {k: v for k, v in kw.items() if k != "model"}
        self.requests.append({"model": model, "n": n + 1, "body": body})
        text = self.replies[model][n]
        msg = types.SimpleNamespace(content=text)
        usage = types.SimpleNamespace(prompt_tokens=1, completion_tokens=1, total_tokens=2,
                                      prompt_tokens_details=types.SimpleNamespace(cached_tokens=0))
        return types.SimpleNamespace(choices=[types.SimpleNamespace(message=msg)], usage=usage)


SCRIPT = None


class _Completions:
    def create(self, **kw):
        return SCRIPT.chat(kw)


class FakeOpenAI:
    def __init__(self, *a, **kw):
        self.chat = types.SimpleNamespace(completions=_Completions())


class Tokenizer:
    """Stands in for the CodeLlama tokenizer: one token a word (only
    MoA's 3,500-token cut reads counts, and the cases stay far below)."""

    @classmethod
    def from_pretrained(cls, *a, **kw):
        return cls()

    def tokenize(self, s):
        return s.split()

    def to(self, *a):
        return self


def anything(name):
    """A module whose every attribute is a do-nothing callable class."""
    m = types.ModuleType(name)

    class Meta(type):
        def __getattr__(cls, k):
            return cls

    class Any(metaclass=Meta):
        def __init__(self, *a, **kw):
            pass

        def __call__(self, *a, **kw):
            return Any()

        def __getattr__(self, k):
            return Any()

    m.__getattr__ = lambda k: Any
    return m


def install_stubs():
    for name in ["vllm", "torch", "numpy", "scipy", "scipy.stats", "hydra", "omegaconf", "jsonlines",
                 "evalplus", "evalplus.data", "requests", "tqdm", "prettytable", "pandas"]:
        sys.modules[name] = anything(name)
    # astunparse (which the executor uses to print a failed call's value)
    # is ast.unparse with the newline astunparse adds.
    import ast
    au = types.ModuleType("astunparse")
    au.unparse = lambda node: "\n" + ast.unparse(node) + "\n"
    sys.modules["astunparse"] = au
    openai = types.ModuleType("openai")
    openai.OpenAI = FakeOpenAI
    openai.chat = types.SimpleNamespace(completions=_Completions())
    sys.modules["openai"] = openai
    tr = anything("transformers")
    tr.AutoTokenizer = Tokenizer
    sys.modules["transformers"] = tr
    ten = types.ModuleType("tenacity")
    ten.retry = lambda *a, **kw: (lambda f: f)
    ten.stop_after_attempt = lambda *a: None
    ten.wait_random_exponential = lambda *a, **kw: None
    sys.modules["tenacity"] = ten
    sys.modules["torch"].cuda = types.SimpleNamespace(is_available=lambda: False)
    sys.modules["torch"].device = lambda *a: None
    jl = sys.modules["jsonlines"]

    class Writer:
        def __init__(self, *a, **kw):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False

        def write(self, *a):
            pass

        def write_all(self, *a):
            pass

    jl.open = Writer


def fresh_import(root, names):
    """Imports names with root first on sys.path, forgetting any module of
    the other half (both halves have agents-like packages and utils)."""
    for k in list(sys.modules):
        if k.split(".")[0] in ("agents", "strategies", "client", "generators", "executors",
                               "lesson_generators", "utils", "simple", "reflexion", "moa", "cot",
                               "multi_agent_lessons_opensource"):
            del sys.modules[k]
    sys.path.insert(0, root)
    try:
        return [importlib.import_module(n) for n in names]
    finally:
        sys.path.remove(root)

# ------------------------------------------------------------ code-opt

OPT_CODE = """#include <vector>

/* Return the sum of x. */
double sum(std::vector<double> const& x) {
    double s = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
        s += x[i];
    }
    return s;
}"""

QWEN14, QWEN7, DEEPSEEK = "Qwen/Qwen2.5-Coder-14B-Instruct", "Qwen/Qwen2.5-Coder-7B-Instruct", "deepseek-ai/deepseek-coder-7b-instruct-v1.5"


def cpp(tag, body):
    return f"Here is the faster code.\n```{tag}\n{body}\n```\nIt unrolls the loop."


# Code bodies with their evaluation results: status, and for correct code
# the baseline's and the candidate's runtime in nanoseconds (the driver
# prints seconds and their ratio).
OPT_OUTCOMES = {
    "// v1 fast\n" + OPT_CODE: ("correct", 5000000, 4000000),
    "// v2 slight\n" + OPT_CODE: ("correct", 4200000, 4000000),
    "// v3 wrong\n" + OPT_CODE: ("incorrect", 0, 0),
    "// v4 broken\n" + OPT_CODE: ("not_compilable", 0, 0),
    "// v5 slow\n" + OPT_CODE: ("correct", 2000000, 4000000),
    "// v6 best\n" + OPT_CODE: ("correct", 8500000, 4000000),
    "": ("not_compilable", 0, 0),
}


def speedup_of(code):
    status, base, cand = OPT_OUTCOMES[code]
    return base / 1e9 / (cand / 1e9) if status == "correct" else 0


class Problem:
    pass


class FakeResponse:
    def __init__(self, submission, stdout):
        self.submission = submission
        self.stdout = stdout
        self.stderr = ""

    def model_dump(self):
        return {}


class FakeDriver:
    """The ParEval driver: one problem; submit answers from OPT_OUTCOMES
    with run-all.py's stdout lines for that outcome."""

    def __init__(self, problem):
        self.problem = problem
        self.responses = []
        self.submitted = []

    def __iter__(self):
        return iter([self.problem])

    def submit(self, submission):
        code = submission.submitted_code
        self.submitted.append(code)
        status, base, cand = OPT_OUTCOMES[code]
        # Only the verdict line of run-all.py's stdout: the rest (each
        # run's wall time, the run's repr) is not reproduced by lessonl
        # (docs/protocol.md, "Bytes not matched").
        if status == "correct":
            out = f"valid run runtime: {cand / 1e9}, best sequential runtime: {base / 1e9}, speedup: {speedup_of(code)}"
        elif status == "incorrect":
            out = "--- INCORRECT ---"
        else:
            out = "----- DID NOT BUILD ---- build result stderr: error: expected ';'\n--- CODE ---\n" + code + "\n"
        return FakeResponse(submission, out)

    def save_one_response_jsonl(self, *a, **kw):
        pass

    def evaluate(self):
        pass


def run_opt(root, module, mode, replies, cfg_extra):
    global SCRIPT
    SCRIPT = Script(replies)
    (strat, models) = fresh_import(os.path.join(root, "code-opt"), [module, "client.models"])
    problem = models.LLM4PP_Problem(problem_id="reduce-sum", category="reduce", source_code=OPT_CODE,
                                    header="", mode=mode)
    driver, evaldriver = FakeDriver(problem), FakeDriver(problem)
    cfg = types.SimpleNamespace(benchmark="ParEval", mode=mode, localhost="localhost", temperature=0.2,
                                driver=driver, evaldriver=evaldriver, logging={"version": 1}, **cfg_extra)
    if hasattr(strat, "get_embedding"):
        # CodeBERT relevance: the cases show every lesson (bank <= k), so
        # the scores reach no prompt.
        strat.get_embedding = lambda tokenizer, model, input: [[0.0]] * len(input)
        strat.cosine_similarity = lambda a, b: 0.0
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            strat.run(cfg)
        finally:
            os.chdir(cwd)
    return SCRIPT.requests, driver.submitted, evaldriver.submitted


def opt_cases(root):
    import logging.config  # lesson.py calls logging.config.dictConfig
    cases = []
    bodies = list(OPT_OUTCOMES)
    for mode in ["serial", "OpenMP"]:
        m = "serial" if mode == "serial" else "openmp"
        for kind, module in [("single", "strategies.simple"), ("cot", "strategies.cot")]:
            # A ```cpp reply: the authors' baselines read no code in it.
            replies = {QWEN14: [cpp("cpp", bodies[0])]}
            reqs, subs, _ = run_opt(root, module, mode, replies, {})
            cases.append(dict(name=f"opt-{kind}-{m}", task="optimize", kind=kind, mode=m,
                              agents=[QWEN14], replies=replies, requests=reqs, submitted=subs))
        # GPT-4o alone (strategies/openai.py, config/strategy/openai.yaml).
        replies = {"gpt-4o": [cpp("c++", bodies[0])]}
        reqs, subs, _ = run_opt(root, "strategies.openai", mode, replies, {"model": "gpt-4o", "trial": 0})
        cases.append(dict(name=f"opt-single-gpt4o-{m}", task="optimize", kind="single", mode=m,
                          agents=["gpt-4o"], replies=replies, requests=reqs, submitted=subs))
        # LessonL, two rounds: round 0's lessons are all shown in round 1
        # (3 agents × 1 round ≤ k), so no embedding enters a prompt.
        replies = {
            DEEPSEEK: [cpp("c++", bodies[0]), "Lesson: unrolling the loop cuts its overhead.",
                       cpp("c++", bodies[4]), "It got slower."],
            QWEN7: [cpp("cpp", bodies[2]), "lesson: the rewrite changes the order of the additions.",
                    cpp("c++", bodies[5]), "Vectorized."],
            # A blank lesson is banked as it is (a reply with no content
            # at all is an error to the Go client, which asks again).
            QWEN14: ["I cannot see a better version.", " ",
                     cpp("c++", bodies[1]), "A small gain from the loop rewrite.\nIt reads the array once."],
        }
        reqs, subs, final = run_opt(root, "strategies.lesson", mode, replies,
                                    {"Rounds": 2, "k": 4, "reason_temperature": 0.2})
        subs += final
        cases.append(dict(name=f"opt-lessonl-{m}", task="optimize", kind="lessonl", mode=m,
                          agents=[DEEPSEEK, QWEN7, QWEN14], params={"rounds": 2}, replies=replies,
                          requests=reqs, submitted=subs))
        # Reflexion (config/strategy/reflexion.yaml with max_iter 3).
        replies = {QWEN14: [cpp("c++", bodies[3]), "It does not compile.", cpp("c++", bodies[2]),
                            "It reorders the additions.", cpp("cpp", bodies[0]), "Empty.", cpp("c++", bodies[1])]}
        reqs, subs, final = run_opt(root, "strategies.reflexion", mode, replies, {"max_iter": 3, "pass_at_k": 1})
        cases.append(dict(name=f"opt-reflexion-{m}", task="optimize", kind="reflexion", mode=m, agents=[QWEN14],
                          params={"rounds": 3}, replies=replies, requests=reqs, submitted=subs + final))
        # MapCoder (config/strategy/mapcoder.yaml with t 2): a retrieval
        # with one problem (asked again), then one with three.
        one = ("<root>\n<problem>\n<description>Sum an array.</description>\n<code>s += x[i];</code>\n"
               "<planning>Unroll.</planning>\n</problem>\n<algorithm>Loop unrolling.</algorithm>\n</root>")
        three = ("```xml\n<root>\n" + "".join(
            f"<problem>\n<description>\n{d}\n</description>\n<code>\n# Let's think step by step to optimize this code "
            f"in c++ programming language.\nfor (i = 0; i < n && ok; i++) s += x[i];\n</code>\n<planning>\n"
            f"# Planning to optimize this code: \n{p}\n</planning>\n</problem>\n"
            for d, p in [("Sum an array.", "Unroll by four."), ("Find a maximum.", "Vectorize."),
                         ("Count odd values.", "Use a reduction.")]) +
            "<algorithm>\nLoop unrolling & vectorization.\n</algorithm>\n</root>\n```")
        replies = {QWEN14: [one, three,
                            "Plan: unroll by four.", "<root><explanation>Fine.</explanation><confidence>40</confidence></root>",
                            "Plan: vectorize.", "<root><explanation>Good.</explanation><confidence>90</confidence></root>",
                            "Plan: reduce.", "<root><explanation>Meh.</explanation><confidence>10</confidence></root>",
                            cpp("c++", bodies[0]), cpp("c++", bodies[3]), cpp("c++", bodies[2]),
                            cpp("cpp", bodies[5]), cpp("c++", bodies[1]), cpp("c++", bodies[4]),
                            cpp("c++", bodies[5]), "No code.", cpp("c++", bodies[0])]}
        reqs, subs, final = run_opt(root, "strategies.mapcoder", mode, replies, {"k": 3, "t": 2})
        cases.append(dict(name=f"opt-mapcoder-{m}", task="optimize", kind="mapcoder", mode=m, agents=[QWEN14],
                          params={"plans": 3, "iterations": 2}, replies=replies, requests=reqs,
                          submitted=subs + final))
        # MoA (config/strategy/moa.yaml: Rounds 4, so three proposer
        # layers), one proposer reply fenced ```cpp in each layer.
        replies = {
            DEEPSEEK: [cpp("c++", bodies[0]), cpp("c++", bodies[1]), cpp("c++", bodies[5])],
            QWEN7: [cpp("cpp", bodies[2]), cpp("c++", bodies[4]), cpp("c++", bodies[0])],
            QWEN14: [cpp("c++", bodies[3]), cpp("cpp", bodies[5]), "No change is needed."],
            "gpt-4o": [cpp("c++", bodies[5])],
        }
        reqs, final, layers = run_opt(root, "strategies.moa", mode, replies, {"Rounds": 4, "aggregator_temperature": 0.7})
        cases.append(dict(name=f"opt-moa-{m}", task="optimize", kind="moa", mode=m,
                          agents=[DEEPSEEK, QWEN7, QWEN14, "gpt-4o"], replies=replies, requests=reqs,
                          # The layers' evaluations choose nothing; lessonl
                          # skips them (docs/protocol.md): only the answer's.
                          submitted=final, layer_submissions=layers))
    return cases

# ------------------------------------------------------------ code-gen

GEN_PROMPT = '''from typing import List


def below_zero(operations: List[int]) -> bool:
    """ Given a list of deposit and withdrawal operations on a bank account that starts with
    zero balance, return True if the balance ever falls below zero.
    >>> below_zero([1, 2, 3])
    False
    >>> below_zero([1, 2, -4, 5])
    True
    """
'''
GEN_TEST = '''

METADATA = {}


def check(candidate):
    assert candidate([]) == False
    assert candidate([1, 2, -3, 1, 2, -3]) == False
    assert candidate([1, 2, -4, 5, 6]) == True
'''
WRONG = '''def below_zero(operations: List[int]) -> bool:
    balance = 0
    for op in operations:
        balance += op
    return balance < 0'''
RIGHT = '''def below_zero(operations: List[int]) -> bool:
    balance = 0
    for op in operations:
        balance += op
        if balance < 0:
            return True
    return False'''
WRONG2 = '''def below_zero(operations: List[int]) -> bool:
    return False'''
TESTS_REPLY = '''assert below_zero([1, 2, 3]) == False
assert below_zero([1, 2, -4, 5]) == True
assert below_zero([]) == False
assert below_zero([-1]) == True'''


def py(code, tag="python"):
    return f"```{tag}\n{code}\n```"


def run_gen(root, module, fn, replies, **kw):
    global SCRIPT
    SCRIPT = Script(replies)
    (mod,) = fresh_import(os.path.join(root, "code-gen"), [module])
    if hasattr(mod, "get_embedding"):
        # CodeBERT relevance: the case shows every lesson, so the scores
        # reach no prompt.
        mod.get_embedding = lambda tokenizer, model, input: [[0.0]] * len(input)
        mod.cosine_similarity = lambda a, b: 0.0
    item = {"task_id": "HumanEval/3", "prompt": GEN_PROMPT, "entry_point": "below_zero", "test": GEN_TEST}
    with tempfile.TemporaryDirectory() as tmp:
        getattr(mod, fn)(dataset=[item], language="py", pass_at_k=1, log_path=os.path.join(tmp, "log.jsonl"),
                         verbose=False, **kw)
    return SCRIPT.requests


def verdicts(root, codes, tests):
    """What the authors' PyExecutor says of each code: the indices of the
    generated tests it fails, and whether it passes the hidden tests."""
    (ex,) = fresh_import(os.path.join(root, "code-gen"), ["executors"])
    exe = ex.PyExecutor()
    out = {}
    for c in codes:
        _, _, state = exe.execute(c, tests)
        out[c] = {"failed": [i for i, ok in enumerate(state) if not ok],
                  "hidden": bool(exe.evaluate("below_zero", c, GEN_TEST, timeout=10))}
    return out


def gen_cases(root):
    cases = []
    tests = TESTS_REPLY.splitlines()
    for kind in ["single", "cot"]:
        replies = {QWEN14: [py(RIGHT)]}
        reqs = run_gen(root, "simple", "run_simple", replies, model_name=QWEN14)
        cases.append(dict(name=f"gen-{kind}", task="generate", kind=kind, agents=[QWEN14], replies=replies,
                          requests=reqs, gen_verdicts=verdicts(root, [RIGHT], [])))
    # Reflexion: a wrong function twice, then the right one.
    replies = {QWEN14: [TESTS_REPLY, py(WRONG), "The loop checks only the final balance.", py(WRONG),
                        "Check the balance inside the loop.", py(RIGHT)]}
    reqs = run_gen(root, "reflexion", "run_reflexion", replies, model_name=QWEN14, max_iters=10, number_of_tests=6)
    cases.append(dict(name="gen-reflexion", task="generate", kind="reflexion", agents=[QWEN14], replies=replies,
                      requests=reqs, gen_tests=tests, gen_verdicts=verdicts(root, [WRONG, RIGHT], tests)))
    # MoA: three proposers in two layers (one reply without a block), then
    # GPT-4o.
    replies = {QWEN14: [py(WRONG), py(RIGHT)], QWEN7: ["No code here.", py(RIGHT)],
               DEEPSEEK: [py(RIGHT), py(WRONG)], "gpt-4o": [py(RIGHT)]}
    reqs = run_gen(root, "moa", "run_moa_gpt4o_aggregator", replies, model_name=QWEN14, max_iters=4,
                   number_of_tests=6)
    cases.append(dict(name="gen-moa", task="generate", kind="moa", agents=[QWEN14, QWEN7, DEEPSEEK, "gpt-4o"],
                      replies=replies, requests=reqs, gen_verdicts=verdicts(root, [RIGHT], [])))
    # LessonL (multi_agent_lessons_opensource.py): the largest model writes
    # the tests; round 0 fails for all three, round 1 shows every lesson
    # and the first agent's code passes. (A reply without a block is left
    # out: their executor exec()s into its module's globals, so an empty
    # answer is judged as the previous candidate's function.)
    replies = {QWEN14: [TESTS_REPLY, py(WRONG), "It checks only the final balance.", py(RIGHT)],
               QWEN7: [py(WRONG2), "It always returns False."],
               DEEPSEEK: [py(WRONG), "The loop ignores intermediate balances."]}
    reqs = run_gen(root, "multi_agent_lessons_opensource", "run_multi_agent_lessons_opensource", replies,
                   model_name=[QWEN14, QWEN7, DEEPSEEK], max_iters=4, number_of_tests=6)
    cases.append(dict(name="gen-lessonl", task="generate", kind="lessonl", agents=[QWEN14, QWEN7, DEEPSEEK],
                      replies=replies, requests=reqs, gen_tests=tests,
                      gen_verdicts=verdicts(root, [WRONG, RIGHT, WRONG2], tests)))
    return cases


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen.py /path/to/LessonL (MITIBM-FastCoder/LessonL at 232336a)")
    root = os.path.abspath(sys.argv[1])
    install_stubs()
    opt_problem = {"id": "reduce-sum", "code": OPT_CODE, "function": "sum",
                   "outcomes": [{"code": k, "status": v[0], "speedup": speedup_of(k), "baseline_ns": v[1],
                                 "candidate_ns": v[2]} for k, v in OPT_OUTCOMES.items()]}
    gen_problem = {"id": "HumanEval/3", "prompt": GEN_PROMPT, "entry_point": "below_zero", "test": GEN_TEST}
    for c in opt_cases(root) + gen_cases(root):
        c["official"] = "MITIBM-FastCoder/LessonL@232336a"
        c["problem"] = opt_problem if c["task"] == "optimize" else gen_problem
        with open(os.path.join(HERE, c["name"] + ".json"), "w") as f:
            json.dump(c, f, indent=1, sort_keys=True, ensure_ascii=False)
            f.write("\n")
        print(c["name"], len(c["requests"]), "requests")


if __name__ == "__main__":
    main()
