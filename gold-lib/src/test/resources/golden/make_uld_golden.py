#!/usr/bin/python3
"""Reference values for ai.goldkd.loss.SortedProbabilityDistance and CrossTokenizerLoss, written from the
ULD paper's definition (Boizard et al. 2024) and the span alignment of TRL's GOLD trainer, independently
of the Java code.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_uld_golden.py     (writes uld.json here)

ULD: sort both probability vectors in decreasing order, pad the shorter with zeros, sum |difference|.
Alignment: walk both tokenizations by the byte where each token ends; a group closes when both sides end
at the same byte; a group's distribution is the first position's distribution times the probabilities of
the group's later actual tokens (floored at 1e-8); the loss is the mean over groups.
"""
import json
import os

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(424242)


def uld(q, p):
    qs = torch.sort(q, dim=-1, descending=True).values
    ps = torch.sort(p, dim=-1, descending=True).values
    width = max(qs.shape[-1], ps.shape[-1])
    qs = F.pad(qs, (0, width - qs.shape[-1]))
    ps = F.pad(ps, (0, width - ps.shape[-1]))
    return (qs - ps).abs().sum(-1)


def groups_of(s_ends, t_ends):
    s_groups, t_groups = [], []
    s = t = s_start = t_start = 0
    while s < len(s_ends) and t < len(t_ends):
        if s_ends[s] < t_ends[t]:
            s += 1
        elif s_ends[s] > t_ends[t]:
            t += 1
        else:
            s += 1
            t += 1
            s_groups.append(list(range(s_start, s)))
            t_groups.append(list(range(t_start, t)))
            s_start, t_start = s, t
    if s_start < len(s_ends) and t_start < len(t_ends):
        s_groups.append(list(range(s_start, len(s_ends))))
        t_groups.append(list(range(t_start, len(t_ends))))
    return s_groups, t_groups


def merged(probs, groups, tokens):
    rows = []
    for g in groups:
        row = probs[g[0]]
        for m in g[1:]:
            row = row * probs[m, tokens[m]].clamp(min=1e-8)
        rows.append(row)
    return torch.stack(rows)


out = {"per_token": [], "sequences": []}
student = (torch.randn(2, 3, 13, generator=gen) * 2).float()
teacher = (torch.randn(2, 3, 9, generator=gen) * 2).float()
out["student"] = student.tolist()
out["teacher"] = teacher.tolist()
for ts, tt in [(1.0, 1.0), (2.0, 1.5)]:
    s = student.double().clone().requires_grad_(True)
    value = uld(torch.softmax(s / ts, -1), torch.softmax(teacher.double() / tt, -1))
    value.sum().backward()
    out["per_token"].append({"student_temperature": ts, "teacher_temperature": tt,
                             "values": value.detach().tolist(), "gradient": s.grad.tolist()})

# One text, two tokenizations: the student ends tokens at bytes 2, 5, 6, 9, 12; the teacher at 2, 3, 5, 9, 10, 12.
s_ends, t_ends = [2, 5, 6, 9, 12], [2, 3, 5, 9, 10, 12]
s_tokens, t_tokens = [3, 7, 1, 12, 5], [0, 4, 8, 2, 6, 1]
s_logits = (torch.randn(5, 13, generator=gen) * 2).float()
t_logits = (torch.randn(6, 9, generator=gen) * 2).float()
sg, tg = groups_of(s_ends, t_ends)
for ts, tt in [(1.0, 1.0), (2.0, 1.0)]:
    s = s_logits.double().clone().requires_grad_(True)
    q = merged(torch.softmax(s / ts, -1), sg, s_tokens)
    p = merged(torch.softmax(t_logits.double() / tt, -1), tg, t_tokens)
    value = uld(q, p).mean()
    value.backward()
    out["sequences"].append({"student_temperature": ts, "teacher_temperature": tt, "value": value.item(),
                             "gradient": s.grad.tolist()})
out["sequence_inputs"] = {"student_logits": s_logits.tolist(), "teacher_logits": t_logits.tolist(),
                          "student_ends": s_ends, "teacher_ends": t_ends, "student_tokens": s_tokens,
                          "teacher_tokens": t_tokens, "student_groups": sg, "teacher_groups": tg}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "uld.json"), "w") as f:
    json.dump(out, f)
