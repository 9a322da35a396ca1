#!/usr/bin/python3
"""Reference values for ai.goldkd.loss.FusedHeadDivergence with GKD's generalized JSD (the native kernel
fused_head.pt and the Java chunk loop): the divergence of the student's logits h W^T from the
teacher's logits h_t W_t^T, and its gradients with respect to h and W, by PyTorch autograd on the whole
(N, V) logits, the divergence written as TRL's GKD trainer writes generalized_jsd_loss (F.kl_div on log
probabilities at temperature T; beta 0 is KL(teacher || student), beta 1 is KL(student || teacher), the
mixture log(beta p + (1 - beta) q) by logsumexp), then masked by the labels and reduced over the counted
positions (token mean) or summed.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_fused_jsd_golden.py
Writes fused_jsd.json beside this script. The inputs are drawn from a seeded generator and stored as
float32 values; the reference is computed in float64 from them.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

B, T, D, DT, V = 2, 7, 16, 12, 50
IGNORE = -100

gen = torch.Generator().manual_seed(20261204)
hidden = torch.randn(B, T, D, generator=gen).float()
head = (torch.randn(V, D, generator=gen) * 0.5).float()
teacher_hidden = torch.randn(B, T, DT, generator=gen).float()
teacher_head = (torch.randn(V, DT, generator=gen) * 0.5).float()
labels = torch.tensor([[3, IGNORE, 5, 7, 1, 2, 49],
                       [IGNORE, IGNORE, 4, 4, 0, IGNORE, 8]])


def generalized_jsd(student_logits, teacher_logits, beta, temperature):
    """Per position, (..., ) as TRL's generalized_jsd_loss before its reduction."""
    s = F.log_softmax(student_logits / temperature, dim=-1)
    t = F.log_softmax(teacher_logits / temperature, dim=-1)
    if beta == 0:
        return F.kl_div(s, t, reduction="none", log_target=True).sum(-1)      # KL(teacher || student)
    if beta == 1:
        return F.kl_div(t, s, reduction="none", log_target=True).sum(-1)      # KL(student || teacher)
    m = torch.logsumexp(torch.stack([s + math.log(1 - beta), t + math.log(beta)]), dim=0)
    kl_teacher = F.kl_div(m, t, reduction="none", log_target=True).sum(-1)    # KL(teacher || mixture)
    kl_student = F.kl_div(m, s, reduction="none", log_target=True).sum(-1)    # KL(student || mixture)
    return beta * kl_teacher + (1 - beta) * kl_student


def case(beta, temperature, reduction):
    h = hidden.double().requires_grad_(True)
    w = head.double().requires_grad_(True)
    teacher_logits = teacher_hidden.double() @ teacher_head.double().T
    per = generalized_jsd(h @ w.T, teacher_logits, beta, temperature)     # (B, T)
    mask = (labels != IGNORE).double()
    total = (per * mask).sum()
    loss = total / mask.sum() if reduction == "token_mean" else total
    loss.backward()
    return {"beta": beta, "temperature": temperature, "reduction": reduction, "loss": loss.item(),
            "grad_hidden": rounded(h.grad), "grad_head": rounded(w.grad)}


def rounded(x):
    """Nested lists of 10 significant digits: float32's precision with room to spare."""
    if x.dim() == 0:
        return float("%.10g" % x.item())
    return [rounded(row) for row in x]


def main():
    cases = [case(beta, t, "token_mean") for beta in (0.0, 0.1, 0.5, 0.9, 1.0) for t in (1.0, 2.0)]
    cases += [case(0.5, 2.0, "sum"), case(1.0, 1.0, "sum")]
    out = {
        "hidden": hidden.tolist(),
        "head": head.tolist(),
        "teacher_hidden": teacher_hidden.tolist(),
        "teacher_head": teacher_head.tolist(),
        "labels": labels.tolist(),
        "cases": cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fused_jsd.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path, "with", len(cases), "cases")


if __name__ == "__main__":
    main()
