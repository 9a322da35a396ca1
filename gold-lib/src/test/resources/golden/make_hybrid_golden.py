#!/usr/bin/python3
"""Reference values for ai.goldkd.loss.HybridCrossTokenizerLoss, written from its definition (the hybrid
of TRL's GOLD trainer: the shared tokens by a divergence, the rest by ULD's sorted distance), independently
of the Java code.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_hybrid_golden.py     (writes hybrid.json here)

Groups and merged distributions as make_uld_golden.py. Shared tokens M (teacher id t_j, student id s_j):
P^M = P[:, t] / sum, Q^M = Q[:, s] / sum (computed as log_softmax of the floored logarithms, floor 1e-30);
matched = mean_g Div(P^M_g || Q^M_g); unmatched = mean_g ULD(Q restricted to ids outside M, P outside M);
loss = w matched + (1 - w) unmatched with w = K / V_t unless given.
"""
import json
import os

import torch
import torch.nn.functional as F

gen = torch.Generator().manual_seed(515151)


def uld(q, p):
    qs = torch.sort(q, dim=-1, descending=True).values
    ps = torch.sort(p, dim=-1, descending=True).values
    width = max(qs.shape[-1], ps.shape[-1])
    return (F.pad(qs, (0, width - qs.shape[-1])) - F.pad(ps, (0, width - ps.shape[-1]))).abs().sum(-1)


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


def kl(log_a, log_b):
    return (log_a.exp() * (log_a - log_b)).sum(-1)


def divergence(name, log_p, log_q):
    if name == "forward":
        return kl(log_p, log_q)
    if name == "reverse":
        return kl(log_q, log_p)
    beta = float(name.split("=")[1])
    log_m = torch.logsumexp(torch.stack([log_p + torch.log(torch.tensor(beta, dtype=torch.float64)),
                                         log_q + torch.log(torch.tensor(1 - beta, dtype=torch.float64))]), 0)
    return beta * kl(log_p, log_m) + (1 - beta) * kl(log_q, log_m)


s_ends, t_ends = [2, 5, 6, 9, 12], [2, 3, 5, 9, 10, 12]
s_tokens, t_tokens = [3, 7, 1, 12, 5], [0, 4, 8, 2, 6, 1]
vs, vt = 13, 9
match_t, match_s = [0, 2, 3, 5, 8], [4, 1, 9, 0, 12]
s_logits = (torch.randn(5, vs, generator=gen) * 2).float()
t_logits = (torch.randn(6, vt, generator=gen) * 2).float()
sg, tg = groups_of(s_ends, t_ends)
un_s = [i for i in range(vs) if i not in match_s]
un_t = [i for i in range(vt) if i not in match_t]
cases = []
for name, weight, ts, tt in [("jsd=0.5", None, 1.0, 1.0), ("jsd=0.9", 0.3, 2.0, 1.0), ("forward", None, 1.0, 1.5),
                             ("reverse", 1.0, 1.0, 1.0), ("jsd=0.5", 0.0, 1.0, 1.0)]:
    s = s_logits.double().clone().requires_grad_(True)
    q = merged(torch.softmax(s / ts, -1), sg, s_tokens)
    p = merged(torch.softmax(t_logits.double() / tt, -1), tg, t_tokens)
    log_qm = torch.log_softmax(torch.log(q[:, match_s].clamp(min=1e-30)), -1)
    log_pm = torch.log_softmax(torch.log(p[:, match_t].clamp(min=1e-30)), -1)
    matched = divergence(name, log_pm, log_qm).mean()
    unmatched = uld(q[:, un_s], p[:, un_t]).mean()
    w = len(match_t) / vt if weight is None else weight
    value = w * matched + (1 - w) * unmatched
    value.backward()
    cases.append({"divergence": name, "matched_weight": weight, "student_temperature": ts,
                  "teacher_temperature": tt, "value": value.item(), "matched": matched.item(),
                  "unmatched": unmatched.item(), "gradient": s.grad.tolist()})
out = {"cases": cases, "student_logits": s_logits.tolist(), "teacher_logits": t_logits.tolist(),
       "student_ends": s_ends, "teacher_ends": t_ends, "student_tokens": s_tokens, "teacher_tokens": t_tokens,
       "match_teacher": match_t, "match_student": match_s, "student_vocab": vs, "teacher_vocab": vt}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "hybrid.json"), "w") as f:
    json.dump(out, f)
