#!/usr/bin/python3
"""Summarises a grid of `gold run` folders (METHOD-sSEED) into the tables of docs/results.md.

usage: docs/gold/summarize.py RUNS_DIR [METHOD ...]

Prints, per method: mean +- sample sd of the final accuracy over its seeds, min - max, and each seed's
value; then, for the GOLD and random-feedback runs, the loop student's accuracy and energy spread per
update averaged over seeds (from metrics.csv, iterations 0, 5, 10, 15, 20).
"""
import csv
import json
import os
import statistics
import sys


def runs(root):
    out = {}
    for name in sorted(os.listdir(root)):
        result = os.path.join(root, name, "final", "result.json")
        if "-s" not in name or not os.path.isfile(result):
            continue
        method, seed = name.rsplit("-s", 1)
        with open(result) as f:
            out.setdefault(method, {})[int(seed)] = 100 * json.load(f)["accuracy"]
    return out


def metric(root, name, which):
    by = {}
    with open(os.path.join(root, name, "metrics.csv")) as f:
        for row in csv.DictReader(f):
            if row["metric"] == which:
                by[int(row["iteration"])] = float(row["value"])
    return by


def main():
    root = sys.argv[1]
    table = runs(root)
    order = sys.argv[2:] or sorted(table, key=lambda m: -statistics.mean(table[m].values()))
    print("| method | accuracy % (mean +- sd) | min - max | seeds 1..5 |")
    print("| --- | --- | --- | --- |")
    for m in order:
        v = [table[m][s] for s in sorted(table[m])]
        sd = statistics.stdev(v) if len(v) > 1 else float("nan")
        print("| %s | %.2f +- %.2f | %.2f - %.2f | %s |" % (
            m, statistics.mean(v), sd, min(v), max(v), " / ".join("%.2f" % x for x in v)))
    print()
    for m in ("gold", "random"):
        if m not in table:
            continue
        seeds = sorted(table[m])
        acc = [metric(root, "%s-s%d" % (m, s), "student_accuracy") for s in seeds]
        spread = [metric(root, "%s-s%d" % (m, s), "energy_spread") for s in seeds]
        print("%s, loop student over %d seeds:" % (m, len(seeds)))
        for it in sorted(acc[0]):
            a = [100 * x[it] for x in acc if it in x]
            sp = [x[it] for x in spread if it in x]
            print("  iteration %2d: accuracy %.2f%% (%.2f - %.2f), energy spread %.3f (%.3f - %.3f)" % (
                it, statistics.mean(a), min(a), max(a), statistics.mean(sp), min(sp), max(sp)))


if __name__ == "__main__":
    main()
