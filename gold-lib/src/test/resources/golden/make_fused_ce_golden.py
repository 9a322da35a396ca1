#!/usr/bin/python3
"""Reference values for ai.goldkd.loss.FusedHeadCrossEntropy: the next-token cross-entropy of the logits
h W^T and its gradients with respect to h and W, by PyTorch autograd through F.cross_entropy on the whole
(N, V) logits (the unfused path the fused loss must reproduce).

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_fused_ce_golden.py
Writes fused_ce.json beside this script. The inputs are drawn from a seeded generator and stored in the
JSON as float32 values; the reference is computed in float64 from them.
"""
import json
import os

import torch
import torch.nn.functional as F

B, T, D, V = 2, 7, 16, 50
IGNORE = -100

gen = torch.Generator().manual_seed(20261203)
hidden = torch.randn(B, T, D, generator=gen).float()
head = (torch.randn(V, D, generator=gen) * 0.5).float()
labels = torch.tensor([[3, IGNORE, 5, 7, 1, 2, 49],
                       [IGNORE, IGNORE, 4, 4, 0, IGNORE, 8]])


def case(reduction):
    h = hidden.double().requires_grad_(True)
    w = head.double().requires_grad_(True)
    logits = h @ w.T                                             # (B, T, V)
    loss = F.cross_entropy(logits.reshape(-1, V), labels.reshape(-1), ignore_index=IGNORE,
                           reduction=reduction)                  # 'mean': sum / #valid, PyTorch's default
    loss.backward()
    return {"loss": loss.item(), "grad_hidden": h.grad.tolist(), "grad_head": w.grad.tolist()}


def main():
    out = {
        "hidden": hidden.tolist(),
        "head": head.tolist(),
        "labels": labels.tolist(),
        "token_mean": case("mean"),
        "sum": case("sum"),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fused_ce.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path)


if __name__ == "__main__":
    main()
