#!/usr/bin/python3
"""Reference for `zeroshift compare`: Newcombe's square-and-add interval for the difference of
paired proportions (Newcombe 1998, method 10; Fagerland, Lydersen & Laake 2017, section 8.5)
and McNemar's exact p, computed with SciPy's own Wilson interval and binomial test. Writes
test/fixtures/compare/paired-difference.json (committed; never run at test time).

Run once: python3 scripts/reference/paired_difference_scipy.py  (written with SciPy 1.17.1)

Tables are (both right, A right only, B right only, both wrong); the difference is B - A.
"""
import json
import math
import pathlib

import scipy
from scipy.stats import binomtest, norm

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "compare" / "paired-difference.json"

TABLES = [
    (5, 1, 4, 2),        # the CLI end-to-end case of test/compare/cli.test.ts
    (59, 6, 16, 80),     # Cavo et al. 2012, Fagerland et al. 2017 Table 8.x: A - B = -0.0621 [-0.1186, -0.0046]
    (1, 1, 7, 12),       # Bentur et al. 2009, the book's other example
    (40, 0, 0, 10),      # identical classifiers
    (0, 3, 9, 0),        # no concordant item: phi negative
    (12, 0, 5, 0),       # an empty margin (A never wrong... B always right): phi = 0
    (180, 7, 3, 10),     # delta > n/2: corrected phi
    (700, 41, 62, 197),  # n = 1000
    (0, 0, 0, 25),       # both always wrong
]


def wilson(k, n):
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    return ci.low, ci.high


def newcombe(both, only_a, only_b, neither):
    n = both + only_a + only_b + neither
    ka, kb = both + only_a, both + only_b
    pa, pb = ka / n, kb / n
    la, ua = wilson(ka, n)
    lb, ub = wilson(kb, n)
    margins = [ka, only_b + neither, kb, only_a + neither]
    if min(margins) == 0:
        phi = 0.0
    else:
        delta = both * neither - only_a * only_b
        root = math.sqrt(math.prod(margins))
        phi = (delta - n / 2) / root if delta > n / 2 else (0.0 if delta >= 0 else delta / root)
    d = pb - pa
    low = d - math.sqrt(max(0.0, (pb - lb) ** 2 + (ua - pa) ** 2 - 2 * phi * (pb - lb) * (ua - pa)))
    high = d + math.sqrt(max(0.0, (ub - pb) ** 2 + (pa - la) ** 2 - 2 * phi * (ub - pb) * (pa - la)))
    return d, max(-1.0, low), min(1.0, high), (la, ua), (lb, ub)


cases = []
for t in TABLES:
    d, low, high, wa, wb = newcombe(*t)
    b, c = t[1], t[2]
    p = 1.0 if b + c == 0 else binomtest(min(b, c), b + c, 0.5).pvalue
    cases.append({
        "table": list(t), "estimate": d, "ci": [low, high],
        "wilsonA": list(wa), "wilsonB": list(wb), "mcnemarExactP": p,
    })

OUT.parent.mkdir(parents=True, exist_ok=True)
OUT.write_text(json.dumps({
    "generator": "scripts/reference/paired_difference_scipy.py",
    "scipy": scipy.__version__, "z975": norm.ppf(0.975), "cases": cases,
}, indent=2) + "\n")
print(f"wrote {OUT}")
