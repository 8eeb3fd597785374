#!/usr/bin/python3
"""Reference for zeroshift's OOD metrics (src/metrics/ood.ts) on seeded score sets, ties
included. Writes test/fixtures/ood/sklearn.json (committed; never run at test time).

Run once: apt-get install -y python3-sklearn python3-numpy && /usr/bin/python3 scripts/reference/ood_sklearn.py
(Debian bookworm's scikit-learn 1.2.1.)

ID is the positive class (label 1) and a higher score means more in-distribution.
- auroc: sklearn.metrics.roc_auc_score.
- aurocCi: DeLong's interval from its definition, over all (ID, OOD) pairs (psi = 1, 1/2, 0),
  not from midranks as zeroshift computes it: V10_i = mean_j psi(x_i, y_j),
  V01_j = mean_i psi(x_i, y_j), var = var(V10, ddof=1)/m + var(V01, ddof=1)/n,
  auroc +- 1.959963984540054*sqrt(var) clipped to [0, 1].
- fpr95: sklearn.metrics.roc_curve(drop_intermediate=False): the fpr at the first (largest)
  threshold whose tpr >= 0.95; fpr95Threshold that threshold.
- auprIn: average_precision_score(id is 1, scores); auprOut: average_precision_score(ood is 1, -scores).
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.metrics import average_precision_score, roc_auc_score, roc_curve

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "test" / "fixtures" / "ood" / "sklearn.json"
Z = 1.959963984540054


def delong(x, y):
    psi = (x[:, None] > y[None, :]).astype(np.float64) + 0.5 * (x[:, None] == y[None, :])
    auc = psi.mean()
    if len(x) < 2 or len(y) < 2:
        return None
    v10 = psi.mean(axis=1)
    v01 = psi.mean(axis=0)
    var = v10.var(ddof=1) / len(x) + v01.var(ddof=1) / len(y)
    h = Z * np.sqrt(var)
    return [float(max(0.0, auc - h)), float(min(1.0, auc + h))]


def case(name, x, y):
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    labels = np.concatenate([np.ones(len(x)), np.zeros(len(y))])
    scores = np.concatenate([x, y])
    fpr, tpr, thr = roc_curve(labels, scores, drop_intermediate=False)
    k = int(np.argmax(tpr >= 0.95))
    return {
        "name": name,
        "id": x.tolist(),
        "ood": y.tolist(),
        "auroc": float(roc_auc_score(labels, scores)),
        "aurocCi": delong(x, y),
        "fpr95": float(fpr[k]),
        "fpr95Threshold": float(thr[k]),
        "auprIn": float(average_precision_score(labels, scores)),
        "auprOut": float(average_precision_score(1 - labels, -scores)),
    }


rng = np.random.RandomState(29)
cases = [
    case("overlapping normals", rng.normal(1.0, 1.0, 200), rng.normal(0.0, 1.2, 150)),
    # Scores rounded to one decimal: many ties within and across the sets.
    case("rounded (ties)", np.round(rng.normal(0.5, 0.8, 57), 1), np.round(rng.normal(0.0, 0.8, 43), 1)),
    # MCM-like maximum softmax probabilities over 6 classes, ID more peaked.
    case("msp-like", 1 / 6 + (5 / 6) * rng.beta(4, 2, 120), 1 / 6 + (5 / 6) * rng.beta(2, 3, 80)),
    case("perfect separation", rng.uniform(2, 3, 30), rng.uniform(0, 1, 25)),
    case("reversed", rng.uniform(0, 1, 30), rng.uniform(2, 3, 25)),
    case("all tied", np.full(10, 0.3), np.full(7, 0.3)),
    case("20 ID, 0.95 * 20 exact", np.arange(20, dtype=np.float64), rng.uniform(-2, 19, 15).round()),
    case("small with ties", [0.9, 0.5, 0.5], [0.5, 0.1]),
    case("one OOD item", [0.2, 0.8, 0.6, 0.4], [0.5]),
]
OUT.write_text(json.dumps({"sklearn": sklearn.__version__, "numpy": np.__version__, "cases": cases}, indent=1) + "\n")
print(f"wrote {OUT} ({len(cases)} cases)")
