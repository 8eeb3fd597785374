#!/usr/bin/python3
"""Reference for zeroshift's linear probe: scikit-learn LogisticRegression (lbfgs, multinomial,
L2) on the embeddings in test/fixtures/probe/embeddings.json. Writes
test/fixtures/probe/sklearn.json (committed; never run at test time).

Run once: apt-get install -y python3-sklearn && /usr/bin/python3 scripts/reference/probe_sklearn.py
(Debian bookworm's scikit-learn 1.2.1.)

1. For a few C values: the fitted objective value, test top-1 and test predictions.
2. The whole protocol on the split zeroshift drew (fixture `protocol`): the CLIP_benchmark-style
   parametric search over the 97-point C grid (1e-6..1e6) on validation top-1, then the refit
   (train + val, or the 8-shot set only) and its test top-1.
"""
import base64
import json
import pathlib

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIX = ROOT / "test" / "fixtures" / "probe"
data = json.loads((FIX / "embeddings.json").read_text())
dim = data["dim"]


def load(part):
    x = np.frombuffer(base64.b64decode(part["xFloat32Base64"]), dtype="<f4").reshape(part["n"], dim)
    return x.astype(np.float64), np.array(part["y"], dtype=np.int64)


xtr, ytr = load(data["train"])
xte, yte = load(data["test"])
K = len(data["train"]["classNames"])
TOL = 1e-6
MAX_ITER = 5000


# The protocol's fits also run to convergence: at large C on nearly separable data, iterates
# truncated at max_iter differ between any two L-BFGS implementations, the converged optimum does not.
PROTOCOL_TOL = TOL
PROTOCOL_MAX_ITER = 20000


def fit(x, y, c, tol=TOL, max_iter=MAX_ITER):
    return LogisticRegression(C=c, solver="lbfgs", tol=tol, max_iter=max_iter).fit(x, y)


def objective(m, x, y, c):
    # mean cross-entropy + ||W||^2 / (2 C N): the objective sklearn's lbfgs minimises.
    # predict_log_proba covers only the classes seen in y; K classes are all present here.
    lp = m.predict_log_proba(x)
    ce = -lp[np.arange(len(y)), np.searchsorted(m.classes_, y)].mean()
    return float(ce + (m.coef_ ** 2).sum() / (2 * c * len(y)))


def acc(m, x, y):
    return float((m.predict(x) == y).mean())


per_c = []
for c in [0.01, 0.1, 1.0, 10.0, 100.0]:
    m = fit(xtr, ytr, c)
    per_c.append({"c": c, "objective": objective(m, xtr, ytr, c), "testAcc1": acc(m, xte, yte),
                  "testPred": m.predict(xte).tolist(), "iterations": int(m.n_iter_[0])})

GRID = [10 ** (-6 + 12 * i / 96) for i in range(97)]


def protocol(fit_idx, val_idx, refit_idx):
    tried = {}

    def ev(i):
        if i not in tried:
            tried[i] = acc(fit(xtr[fit_idx], ytr[fit_idx], GRID[i], PROTOCOL_TOL, PROTOCOL_MAX_ITER), xtr[val_idx], ytr[val_idx])
        return tried[i]

    def peak_of(idxs):
        best, mx = idxs[0], -1.0
        for i in idxs:
            a = ev(i)
            if a > mx:
                best, mx = i, a
        return best

    peak = peak_of([0, 16, 32, 48, 64, 80, 96])
    span = 8
    while span > 0:
        peak = peak_of([max(peak - span, 0), peak, min(peak + span, 96)])
        span //= 2
    m = fit(xtr[refit_idx], ytr[refit_idx], GRID[peak], PROTOCOL_TOL, PROTOCOL_MAX_ITER)
    return {"cIndex": peak, "c": GRID[peak], "valAcc1": tried[peak], "testAcc1": acc(m, xte, yte),
            "sweep": [{"c": GRID[i], "valAcc1": tried[i]} for i in sorted(tried)]}


p = data["protocol"]
tr, va, fs = (np.array(p[k], dtype=np.int64) for k in ("train", "val", "fewshot"))
out = {
    "sklearn": sklearn.__version__,
    "tol": TOL,
    "maxIter": MAX_ITER,
    "protocolTol": PROTOCOL_TOL,
    "protocolMaxIter": PROTOCOL_MAX_ITER,
    "perC": per_c,
    "full": protocol(tr, va, np.concatenate([tr, va])),
    "fewshot": protocol(fs, va, fs),
}
(FIX / "sklearn.json").write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps({k: v for k, v in out.items() if k != "perC"}, indent=1)[:2000])
