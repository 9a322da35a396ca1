#!/usr/bin/env bash
# The regimes of docs/results.md at 1000 steps (instead of 300), with the 95.3% teacher (arithmetic-sft3),
# from the same student checkpoint, plus on-policy GKD with the final-number reward term.
# Usage: docs/distill/run-long.sh SEED   (two chains side by side, one OpenMP thread each)
set -euo pipefail
SEED="${1:-3}"
export OMP_NUM_THREADS=1
CP="${GOLD_CP:-gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*}"
gold() { java -cp "$CP" ai.goldkd.cli.Main "$@"; }
OUT="runs/distill-long/seed$SEED"
mkdir -p "$OUT"
for r in sft supervised_kd seq_kd gkd_jsd gkd_rkl adaptive; do
  sed -e "s#teachers/arithmetic-sft2#teachers/arithmetic-sft3#" -e "s#\"maxSteps\": 300#\"maxSteps\": 1000#" \
      -e "s#\"seed\": 3#\"seed\": $SEED#" -e "s#\"evalEvery\": 50#\"evalEvery\": 100#" docs/distill/$r.json > "$OUT/$r.json"
done
# GKD JSD + REINFORCE on the final number (reward 1 when the sampled answer's number is right), weight 1
sed -e 's#"regime"#"reward": "final-number", "rewardWeight": 1.0, "regime"#' "$OUT/gkd_jsd.json" > "$OUT/gkd_jsd_reward.json"
chain() { for r in "$@"; do [ -f "$OUT/$r/results.json" ] || gold distill --config "$OUT/$r.json" --out "$OUT/$r" > "$OUT/$r.log" 2>&1; done; }
chain gkd_jsd adaptive supervised_kd sft &
chain seq_kd gkd_rkl gkd_jsd_reward
wait
