#!/usr/bin/python3
"""Reference values for ai.goldkd.ood.Energy, computed plainly with PyTorch.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_energy_golden.py
Writes energy.json beside this script (losses.json, from make_golden.py, is left alone). The logits
come from a seeded generator and are stored in the JSON as float32 values; the energies are computed
in float64 from them, written out independently of the Java code:

  classifier:  E(x) = -T * logsumexp_k(f_k(x) / T)                          (Liu et al., 2020)
  sequence:    E(x) = -(1/L) * sum_t mask_t * logsumexp_v(f_{t,v})           L = sum_t mask_t, 0 when L = 0
"""
import json
import os

import torch

N, K = 6, 4                 # classifier samples, classes
B, T, V = 3, 5, 7           # sequences, positions, vocabulary
TEMPERATURES = [1.0, 0.5, 2.0]

gen = torch.Generator().manual_seed(20240607)
cls_logits = (torch.randn(N, K, generator=gen) * 3.0).float()
# Large logits: exp(f / T) overflows float32 and float64 for these; the energy must not.
large_logits = torch.tensor([[1000.0, 999.0, -1000.0, 998.5],
                             [-2000.0, -2001.0, -2000.5, -2003.0],
                             [50000.0, 50000.0, 50000.0, 50000.0],
                             [88.0, 89.0, 90.0, 0.0]]).float()
seq_logits = (torch.randn(B, T, V, generator=gen) * 2.0).float()
seq_mask = torch.tensor([[0, 0, 1, 1, 0],        # prompt, two targets, padding
                         [1, 1, 1, 1, 1],        # every position a target
                         [0, 0, 0, 0, 0]])       # no target position: energy 0


def classifier_energy(logits, temperature):
    return (-temperature * torch.logsumexp(logits.double() / temperature, dim=-1)).tolist()


def sequence_energy(logits, mask):
    lse = torch.logsumexp(logits.double(), dim=-1)             # (B, T)
    m = mask.double()
    total = -(lse * m).sum(-1)
    length = m.sum(-1)
    return torch.where(length > 0, total / length.clamp(min=1), torch.zeros_like(total)).tolist()


def main():
    out = {
        "torch_version": torch.__version__,
        "classifier": {"logits": cls_logits.tolist(),
                       "energy": {str(t): classifier_energy(cls_logits, t) for t in TEMPERATURES}},
        "large": {"logits": large_logits.tolist(),
                  "energy": {str(t): classifier_energy(large_logits, t) for t in TEMPERATURES}},
        "sequence": {"logits": seq_logits.tolist(), "mask": seq_mask.tolist(),
                     "energy": sequence_energy(seq_logits, seq_mask)},
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "energy.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
