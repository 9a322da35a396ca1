#!/usr/bin/env bash
# Reproduces the "KD from a teacher-logits cache" table of docs/results.md on the CPU, from the checkout's
# root: a small teacher (SFT from scratch), its top-k caches at k = 8, 20, 64, and supervised KD of one
# student shape from the full distribution and from each cache; then the held-out forward KL of each student.
set -euo pipefail
export OMP_NUM_THREADS=1
mvn -B -q -o -pl gold-lib package -DskipTests
CP="gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*"
gold() { java -cp "$CP" ai.goldkd.cli.Main "$@"; }
R=runs/topk
mkdir -p $R
gold distill --config docs/distill/topk-teacher.json --out $R/teacher
# the students train on the first 2900 TRAIN examples (trainLimit 3000 less 100 held out)
for k in 8 20 64; do
    gold teacher logits --teacher $R/teacher/best --data datasets/arithmetic/train.jsonl --top-k $k --limit 2900 \
        --out $R/cache-k$k
done
gold distill --config docs/distill/topk-full.json --out $R/full
for k in 8 20 64; do
    gold distill --config docs/distill/topk-k$k.json --out $R/k$k
done
java -cp "$CP" docs/distill/TopKHeldOut.java $R/teacher/best 200 $R/full $R/k8 $R/k20 $R/k64
