#!/usr/bin/env bash
# GOLD on the seq2seq arithmetic task (docs/results.md, "GOLD on arithmetic"): the offline arithmetic
# writer as the teacher, a causal-LM student started from runs/distill/student-init, the small budget
# (25 iterations x (80 + 40) samples), seeds 1-3; GOLD in one process, ZeroGen and real data in another,
# one OpenMP thread each. Run from the checkout's root after environment/gold setup.
set -euo pipefail
export OMP_NUM_THREADS=1
CP="${GOLD_CP:-gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*}"
gold() { java -cp "$CP" ai.goldkd.cli.Main "$@"; }
[ -f runs/distill/student-init/model.params ] || \
  gold distill --config docs/distill/student-init.json --out runs/distill/student-init
SEEDS="${SEEDS:-3}"
gold run docs/gold/arith-gold.json --budget small --seeds "$SEEDS" --out runs/arith > runs/arith-gold.log 2>&1 &
gold run docs/gold/arith-zerogen.json docs/gold/arith-real.json --budget small --seeds "$SEEDS" --out runs/arith \
  > runs/arith-zerogen-real.log 2>&1
wait
gold run --diagnose runs/arith
