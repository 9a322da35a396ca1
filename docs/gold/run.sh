#!/usr/bin/env bash
# Reproduces the IMDB table of docs/results.md ("GOLD on IMDB"): every method at the small budget
# (25 iterations x (80 + 40) samples = 3,000 generated samples), seeds 1-5, then the diagnostics.
# Run from the checkout's root after environment/gold setup. About 1-2 minutes per run on 2 cores.
set -euo pipefail
gold() { environment/gold "$@"; }
gold run gold zerogen zerogen-hot real-data random top-energy progen --budget small --seeds 5 --out runs/imdb
# The decomposition: GOLD without the noise filter, ZeroGen with it.
gold run docs/gold/gold-nofilter.json docs/gold/zerogen-filter.json --budget small --seeds 5 --out runs/imdb-ablation
# ZeroGen with GOLD's OOD-validation prompt for a third of its samples (no feedback, no filter).
gold run docs/gold/zerogen-oodprompt.json --budget small --seeds 5 --out runs/imdb-ablation
gold run --diagnose runs/imdb
gold run --diagnose runs/imdb-ablation
# GOLD's feedback half against the same half of ZeroGen with the OOD prompt (odd halves are identical).
java -cp "gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*" docs/gold/Halves.java \
    $(for s in 1 2 3 4 5; do echo runs/imdb/gold-s$s runs/imdb-ablation/zerogen-oodprompt-s$s; done)
gold run docs/gold/gold-update5.json --budget small --seeds 5 --out runs/imdb-ablation
