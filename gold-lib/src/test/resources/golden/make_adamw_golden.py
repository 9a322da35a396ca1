#!/usr/bin/python3
"""Reference values for ai.goldkd.train.FusedAdamW: torch.optim.AdamW (weight decay 0.01, PyTorch's default
betas and eps) after torch.nn.utils.clip_grad_norm_(params, 1.0), step by step, on given gradients and a
learning rate that changes every step, computed in float64 from float32 inputs.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_adamw_golden.py
Writes adamw.json beside this script. The gradients of some steps have a norm above 1 (they are clipped)
and of others below (they are not).
"""
import json
import os

import torch

SHAPES = [(4, 3), (5,), (2, 2, 2)]
STEPS = 6
LR = [1e-2, 3e-2, 2e-2, 5e-3, 1e-2, 4e-2]
SCALES = [3.0, 0.2, 1.5, 0.05, 0.8, 2.5]   # the gradients' sizes: clipped when the global norm is > 1
WEIGHT_DECAY = 0.01
CLIP = 1.0

gen = torch.Generator().manual_seed(20261203)
initial = [torch.randn(s, generator=gen).float() for s in SHAPES]
grads = [[(torch.randn(s, generator=gen) * SCALES[t] / 3).float() for s in SHAPES] for t in range(STEPS)]


def main():
    params = [p.double().clone().requires_grad_(True) for p in initial]
    opt = torch.optim.AdamW(params, lr=LR[0], weight_decay=WEIGHT_DECAY)
    out = {"initial": [p.tolist() for p in initial], "lr": LR, "weight_decay": WEIGHT_DECAY, "clip": CLIP,
           "steps": []}
    for t in range(STEPS):
        for p, g in zip(params, grads[t]):
            p.grad = g.double().clone()
        norm = torch.nn.utils.clip_grad_norm_(params, CLIP)
        for group in opt.param_groups:
            group["lr"] = LR[t]
        opt.step()
        out["steps"].append({"grads": [g.tolist() for g in grads[t]], "norm": float(norm),
                             "params": [p.detach().tolist() for p in params]})
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adamw.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, [round(s["norm"], 3) for s in out["steps"]])


if __name__ == "__main__":
    main()
