#!/usr/bin/python3
"""Reference values for ai.goldkd.stats, from SciPy (scipy.stats), not from the Java code.

Run with Debian's python3 (SciPy 1.10): /usr/bin/python3 make_golden.py > golden.json
"""
import json

import numpy as np
from scipy import stats

quantiles = []
for df in [1, 2, 3, 4, 5, 9, 29, 100, 1.5, 3.7, 12.25]:
    for p in [0.5, 0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.025, 0.1]:
        quantiles.append({"p": p, "df": df, "t": float(stats.t.ppf(p, df))})

cdfs = []
for df in [1, 2, 5, 30, 2.5, 7.3]:
    for t in [-4.0, -1.0, -0.2, 0.0, 0.3, 1.5, 2.0, 6.0, 40.0]:
        cdfs.append({"t": t, "df": df, "cdf": float(stats.t.cdf(t, df)),
                     "two_sided": float(2 * stats.t.sf(abs(t), df))})

# Per-seed values in percent, as a report would hold them: seed -> value.
cases = {
    "paired5": ({1: 72.4, 2: 74.0, 3: 71.1, 4: 73.8, 5: 72.9}, {1: 75.2, 2: 76.1, 3: 74.0, 4: 77.3, 5: 75.5}),
    "paired2": ({1: 58.2, 2: 53.6}, {1: 52.2, 2: 54.4}),
    "paired3_close": ({3: 30.1, 4: 28.4, 5: 29.9}, {3: 29.0, 4: 29.2, 5: 30.4}),
    "welch_disjoint": ({1: 61.0, 2: 63.5, 3: 60.2}, {7: 55.1, 8: 57.9, 9: 54.0, 10: 58.8}),
    "welch_one_shared": ({1: 40.0, 2: 42.5, 3: 41.0}, {3: 44.0, 8: 45.5}),
}
comparisons = {}
for name, (a, b) in cases.items():
    shared = sorted(set(a) & set(b))
    if len(shared) >= 2:
        x = np.array([a[s] for s in shared])
        y = np.array([b[s] for s in shared])
        res = stats.ttest_rel(x, y)
        d = x - y
        n = len(d)
        df = n - 1
        se = d.std(ddof=1) / np.sqrt(n)
        diff = d.mean()
        test = "PAIRED"
    else:
        x = np.array(list(a.values()))
        y = np.array(list(b.values()))
        res = stats.ttest_ind(x, y, equal_var=False)
        va, vb = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
        se = np.sqrt(va + vb)
        df = (va + vb) ** 2 / (va ** 2 / (len(x) - 1) + vb ** 2 / (len(y) - 1))
        diff = x.mean() - y.mean()
        test = "WELCH"
    half = stats.t.ppf(0.975, df) * se
    comparisons[name] = {
        "a": {str(k): v for k, v in a.items()}, "b": {str(k): v for k, v in b.items()},
        "test": test, "t": float(res.statistic), "p": float(res.pvalue), "df": float(df),
        "difference": float(diff), "half_width": float(half),
    }

summaries = []
for values in [[72.4, 74.0, 71.1, 73.8, 72.9], [58.2, 53.6], [0.5, 0.25, 0.125, 0.0625], [10.0, 10.5, 9.0]]:
    v = np.array(values)
    lo, hi = stats.t.interval(0.95, len(v) - 1, loc=v.mean(), scale=stats.sem(v))
    summaries.append({"values": values, "mean": float(v.mean()), "sd": float(v.std(ddof=1)),
                      "low": float(lo), "high": float(hi)})

print(json.dumps({"quantiles": quantiles, "cdfs": cdfs, "comparisons": comparisons, "summaries": summaries},
                 indent=1))
