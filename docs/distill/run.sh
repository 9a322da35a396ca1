#!/usr/bin/env bash
# Reproduces the arithmetic distillation table of docs/results.md, on the CPU, from the checkout's root.
# One OpenMP thread per process: on 2 shared cores, 2 threads made training 6x slower (spinning threads).
set -euo pipefail
export OMP_NUM_THREADS=1
mvn -B -q -o -pl gold-lib package -DskipTests
CP="gold-lib/target/gold-lib-0.1.0-SNAPSHOT.jar:gold-lib/target/lib/*"
gold() { java -cp "$CP" ai.goldkd.cli.Main "$@"; }
T=~/.cache/gold/teachers

# 1. Teacher, stage 1: a byte-level LM on "body question\nanswer" documents of the train split. The run was
#    started for 2500 steps and stopped after its step-500 checkpoint, which stage 2 starts from.
mkdir -p runs
python3 -c "
import json
with open('runs/arith-docs.jsonl', 'w') as f:
    for line in open('datasets/arithmetic/train.jsonl'):
        r = json.loads(line)
        f.write(json.dumps({'text': r['body'] + ' ' + r['question'] + '\n' + r['answer']}) + '\n')"
gold lm train --data runs/arith-docs.jsonl --out $T/arithmetic --layers 4 --dim 128 --heads 4 --mlp 512 \
    --context 192 --steps 2500 --warmup 100 --batch 32 --lr 1e-3 --min-lr 1e-4 --eval-every 500 \
    --eval-fraction 0.02 --seed 1 &
LM=$!
until [ -f $T/arithmetic/best/model.params ]; do sleep 10; done
kill $LM
cp -r $T/arithmetic/best $T/arithmetic-lm500

# 2. Teacher, stages 2 and 3: SFT (loss on answers only) from that checkpoint, 1500 then 2000 steps.
gold distill --config docs/distill/teacher-sft.json --out $T/arithmetic-sft
gold distill --config docs/distill/teacher-sft2.json --out $T/arithmetic-sft2
# (stage 4, run beside the regimes; the regimes distil from stage 3's arithmetic-sft2)
gold distill --config docs/distill/teacher-sft3.json --out $T/arithmetic-sft3

# 3. The student's shared starting point: SFT from scratch (2 layers, width 96), 800 then 1000 steps.
gold distill --config docs/distill/student-init.json --out runs/distill/student-init
gold distill --config docs/distill/student-init2.json --out runs/distill/student-init2

# 4. Each regime from that starting point, 300 steps of batch 32.
for r in sft supervised_kd seq_kd gkd_jsd gkd_rkl adaptive; do
    gold distill --config docs/distill/$r.json --out runs/distill/$r
done
