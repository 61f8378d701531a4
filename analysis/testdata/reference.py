"""Reference values for lessonl's statistics, computed by scipy.

Reads JSON {"cases": [{"name", "x", "y"}], "pvalues": [[...]], "samples": [[...]]}
from stdin and prints, per case, scipy.stats.wilcoxon(x, y) with its
defaults (statistic, p-value); per p-value list, Holm-adjusted p-values
(computed here by the textbook step-down formula, as statsmodels'
multipletests(method="holm")); per sample, scipy.stats.gmean and the
standard error of the mean of the logs (scipy.stats.sem).
"""
import json
import sys

import numpy as np
from scipy import stats

data = json.load(sys.stdin)
out = {"scipy": __import__("scipy").__version__, "wilcoxon": [], "holm": [], "gmean": []}
for c in data["cases"]:
    r = stats.wilcoxon(c["x"], c["y"])
    out["wilcoxon"].append({"name": c["name"], "statistic": float(r.statistic), "p": float(r.pvalue)})
for ps in data["pvalues"]:
    p = np.asarray(ps, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    adj = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        adj[i] = running
    out["holm"].append(adj.tolist())
for s in data["samples"]:
    a = np.asarray(s, dtype=float)
    out["gmean"].append({"gmean": float(stats.gmean(a)), "log_sem": float(stats.sem(np.log(a)))})
json.dump(out, sys.stdout)
