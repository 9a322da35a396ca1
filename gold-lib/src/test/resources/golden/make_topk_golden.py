#!/usr/bin/python3
"""Reference values for ai.goldkd.loss.TopKDivergences: divergences between a student's distribution and
a teacher known on its top-k tokens plus one tail bucket, computed densely on that restricted support.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_topk_golden.py
Writes topk.json beside this script. The logits come from a seeded generator and are stored in the JSON.

The restriction, written independently of the Java code: for each position, S = the k most likely
teacher tokens; the teacher becomes the (k + 1)-vector [p_S, 1 - sum p_S], the student [q_S, 1 - sum q_S];
each divergence is the ordinary one between these two distributions (float64, autograd for gradients):
forward KL(p||q), reverse KL(q||p), and GKD's generalized JSD beta KL(p||m) + (1 - beta) KL(q||m) with
m = beta p + (1 - beta) q.
"""
import json
import os

import torch

B, T, V = 2, 3, 11
gen = torch.Generator().manual_seed(20261202)
student = (torch.randn(B, T, V, generator=gen) * 2.0).float()
teacher = (torch.randn(B, T, V, generator=gen) * 2.0).float()


def kl(a, b):
    """sum a log(a / b) over the last axis, with 0 log 0 = 0."""
    safe_a = torch.where(a > 0, a, torch.ones_like(a))
    return torch.where(a > 0, a * (torch.log(safe_a) - torch.log(b)), torch.zeros_like(a)).sum(-1)


def restricted(s_logits, t_logits, k, temperature):
    p = torch.softmax(t_logits.double() / temperature, dim=-1)
    q = torch.softmax(s_logits / temperature, dim=-1)
    top = torch.topk(p, k, dim=-1).indices
    p_s = torch.gather(p, -1, top)
    q_s = torch.gather(q, -1, top)
    p_full = torch.cat([p_s, (1 - p_s.sum(-1, keepdim=True)).clamp(min=0)], dim=-1)
    q_full = torch.cat([q_s, (1 - q_s.sum(-1, keepdim=True)).clamp(min=0)], dim=-1)
    return p_full, q_full


def divergence(name, p, q):
    if name == "forward":
        return kl(p, q)
    if name == "reverse":
        return kl(q, p)
    beta = float(name.split("=")[1])
    m = beta * p + (1 - beta) * q
    return beta * kl(p, m) + (1 - beta) * kl(q, m)


cases = []
for k in [1, 3, 8]:
    for temperature in [1.0, 2.0]:
        for name in ["forward", "reverse", "jsd=0.1", "jsd=0.5", "jsd=0.9"]:
            s = student.double().clone().requires_grad_(True)
            p, q = restricted(s, teacher, k, temperature)
            value = divergence(name, p, q)
            value.sum().backward()
            cases.append({"k": k, "temperature": temperature, "divergence": name,
                          "values": value.detach().tolist(), "gradient": s.grad.tolist()})

out = {"student": student.tolist(), "teacher": teacher.tolist(), "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "topk.json"), "w") as f:
    json.dump(out, f)
