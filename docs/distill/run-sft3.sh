#!/usr/bin/env bash
# The regimes of docs/results.md re-run with the 95.3% teacher (stage 4, arithmetic-sft3): the same
# student starting point and 300-step budget as run.sh, only the teacher changes. Two regimes run at a
# time, one OpenMP thread each. Needs $GOLD_HOME/teachers/arithmetic-sft3 (run.sh stage 4 builds it).
set -euo pipefail
export OMP_NUM_THREADS=1
mvn -B -q -o -pl gold-lib package -DskipTests
CP="gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*"
gold() { java -cp "$CP" ai.goldkd.cli.Main "$@"; }
T="${GOLD_HOME:-$HOME/.cache/gold}/teachers"
[ -f runs/distill/student-init2/model.params ] || {
  gold distill --config docs/distill/student-init.json --out runs/distill/student-init
  gold distill --config docs/distill/student-init2.json --out runs/distill/student-init2
}
mkdir -p runs/distill-sft3
for r in sft supervised_kd seq_kd gkd_jsd gkd_rkl adaptive; do
  sed "s#teachers/arithmetic-sft2#teachers/arithmetic-sft3#" docs/distill/$r.json > runs/distill-sft3/$r.json
done
chain() { for r in "$@"; do gold distill --config runs/distill-sft3/$r.json --out runs/distill-sft3/$r; done; }
chain supervised_kd gkd_jsd adaptive &
chain seq_kd gkd_rkl sft
wait
