#!/usr/bin/python3
"""Reference values for the losses in ai.goldkd.loss, computed plainly with PyTorch.

Run:  /usr/bin/python3 gold-lib/src/test/resources/golden/make_golden.py
Writes losses.json beside this script. Deterministic: the logits come from a seeded generator and are
stored in the JSON (as float32 values), so the Java tests never depend on PyTorch's RNG.

Every formula here is written out independently of the Java code, following the peers:
TRL's generalized_jsd_loss (>= 0.16), DistiLLM's skewed KLs (KL form), the AKL authors' get_ratio,
TAID's released code (loss and schedule), Hinton KD and symmetric cross-entropy (SCE paper code,
without its clamp of the prediction). Reference values are computed in float64 from float32 logits.
"""
import json
import math
import os

import torch
import torch.nn.functional as F

B, T, V = 3, 5, 11          # sequences, positions, vocabulary
N_CLS, K = 6, 4             # classifier examples, classes
IGNORE = -100
TEMPERATURES = [1.0, 2.0]
ITEM_COUNT = 7              # the divisor for the sum-over-items reduction

gen = torch.Generator().manual_seed(20240501)
student = (torch.randn(B, T, V, generator=gen) * 2.0).float()
teacher = (torch.randn(B, T, V, generator=gen) * 2.0).float()
labels = torch.tensor([[3, IGNORE, 5, 7, 1],
                       [IGNORE, 2, IGNORE, IGNORE, 9],
                       [IGNORE] * T])                    # the last sequence has no valid position
cls_student = (torch.randn(N_CLS, K, generator=gen) * 1.5).float()
cls_teacher = (torch.randn(N_CLS, K, generator=gen) * 1.5).float()
cls_labels = torch.tensor([0, 3, IGNORE, 1, 2, 2])


def kl_div_log_target(input_log, target_log):
    """torch's F.kl_div(input, target, reduction='none', log_target=True), summed over the vocabulary:
    KL(target || input)."""
    return F.kl_div(input_log, target_log, reduction="none", log_target=True).sum(-1)


def generalized_jsd(s_logits, t_logits, beta, temperature):
    """TRL >= 0.16 generalized_jsd_loss, reduction 'none' then summed over the vocabulary."""
    s_log = F.log_softmax(s_logits / temperature, dim=-1)
    t_log = F.log_softmax(t_logits / temperature, dim=-1)
    if beta == 0:
        return kl_div_log_target(s_log, t_log)            # KL(teacher || student)
    if beta == 1:
        return kl_div_log_target(t_log, s_log)            # KL(student || teacher)
    beta_t = torch.tensor(beta, dtype=s_log.dtype)
    mix = torch.logsumexp(torch.stack([s_log + torch.log(1 - beta_t), t_log + torch.log(beta_t)]), dim=0)
    kl_teacher = kl_div_log_target(mix, t_log)
    kl_student = kl_div_log_target(mix, s_log)
    return beta_t * kl_teacher + (1 - beta_t) * kl_student


def forward_kl(s_logits, t_logits, temperature):
    p = F.softmax(t_logits / temperature, -1)
    return (p * (torch.log(p) - F.log_softmax(s_logits / temperature, -1))).sum(-1)


def reverse_kl(s_logits, t_logits, temperature):
    q = F.softmax(s_logits / temperature, -1)
    return (q * (torch.log(q) - F.log_softmax(t_logits / temperature, -1))).sum(-1)


def skew_kl(s_logits, t_logits, alpha, temperature):
    """DistiLLM: KL(p || alpha p + (1 - alpha) q), mixture in probability space."""
    p = F.softmax(t_logits / temperature, -1)
    q = F.softmax(s_logits / temperature, -1)
    mix = alpha * p + (1 - alpha) * q
    return (p * (torch.log(p) - torch.log(mix))).sum(-1)


def skew_reverse_kl(s_logits, t_logits, alpha, temperature):
    """DistiLLM: KL(q || (1 - alpha) p + alpha q)."""
    p = F.softmax(t_logits / temperature, -1)
    q = F.softmax(s_logits / temperature, -1)
    mix = (1 - alpha) * p + alpha * q
    return (q * (torch.log(q) - torch.log(mix))).sum(-1)


def total_variation(s_logits, t_logits, temperature):
    p = F.softmax(t_logits / temperature, -1)
    q = F.softmax(s_logits / temperature, -1)
    return 0.5 * (p - q).abs().sum(-1)


def akl_get_ratio(teacher_logits, logits, mu=0.5):
    """The AKL authors' get_ratio (AKL.py), line by line; float64 here instead of their float32.

    Sort the teacher's probabilities descending; the tail is where the cumulative sum is > mu, except
    the first (top-1) position, which is always head. Returns (head ratio, tail ratio).
    """
    teacher_logits = torch.masked_fill(teacher_logits, torch.isinf(teacher_logits), 0)
    logits = torch.masked_fill(logits, torch.isinf(logits), 0)

    teacher_probs = F.softmax(teacher_logits, dim=-1)
    student_probs = F.softmax(logits, dim=-1).detach()

    re_teacher_probs, idx = teacher_probs.sort(dim=-1, descending=True)
    re_student_probs = student_probs.gather(dim=-1, index=idx)

    errors = torch.abs(re_teacher_probs - re_student_probs)

    cum_sum = torch.cumsum(re_teacher_probs, dim=-1)
    mask = cum_sum > mu
    mask[..., 0] = False

    s1 = torch.masked_fill(errors, mask, 0.0).sum(dim=-1)
    s2 = torch.masked_fill(errors, ~mask, 0.0).sum(dim=-1)

    return s1 / (s1 + s2), s2 / (s1 + s2)


def adaptive_kl(s_logits, t_logits, mu, temperature):
    """AKL as the authors' AKL() combines it: h_ratio * KL(p || q) + l_ratio * KL(q || p), per position.

    Their get_kl(teacher, student) is the forward KL and get_kl(student, teacher) the reverse one; the
    ratios come from the logits at the temperature, like both KL terms.
    """
    h_ratio, l_ratio = akl_get_ratio(t_logits / temperature, s_logits / temperature, mu)
    fkl = forward_kl(s_logits, t_logits, temperature)
    rkl = reverse_kl(s_logits, t_logits, temperature)
    return h_ratio * fkl + l_ratio * rkl


def adaptive_kl_ascending(s_logits, t_logits, mu, temperature):
    """The other split (ascending sort, tail = cumulative mass <= mu): differs on the crossing token.
    Only here to show that the crossing case below tells the two apart."""
    q = torch.softmax(s_logits / temperature, dim=-1)
    p = torch.softmax(t_logits / temperature, dim=-1)
    sorted_p, idx = p.sort(-1)
    gap = (sorted_p - q.gather(-1, idx)).abs()
    tail = torch.cumsum(sorted_p, -1).le(mu).to(gap.dtype)
    g_head, g_tail = (gap * (1 - tail)).sum(-1), (gap * tail).sum(-1)
    fkl = forward_kl(s_logits, t_logits, temperature)
    rkl = reverse_kl(s_logits, t_logits, temperature)
    return g_head / (g_head + g_tail) * fkl + g_tail / (g_head + g_tail) * rkl


def akl_crossing_case():
    """A case where the token whose cumulative mass crosses mu decides the split.

    Teacher probabilities 0.4, 0.3, 0.2, 0.1 (mu = 0.5): descending sums 0.4, 0.7, 0.9, 1.0, so the
    authors' head is the 0.4 token alone and the 0.3 token (the crossing one) is tail; the ascending
    split would put the 0.3 token in the head. The student is far off on that token only, so the two
    splits weight forward and reverse KL very differently. A second position has a top-1 token over mu
    (0.7), where the forced head keeps it out of the tail.
    """
    t_probs = torch.tensor([[0.4, 0.3, 0.2, 0.1], [0.7, 0.1, 0.1, 0.1]], dtype=torch.float64)
    s_probs = torch.tensor([[0.38, 0.02, 0.35, 0.25], [0.2, 0.3, 0.3, 0.2]], dtype=torch.float64)
    t_logits = torch.log(t_probs).float()
    s_logits = torch.log(s_probs).float()
    t64, s64 = t_logits.double(), s_logits.double()
    return {
        "mu": 0.5, "temperature": 1.0,
        "student": s_logits.tolist(), "teacher": t_logits.tolist(),
        "per_token": adaptive_kl(s64, t64, 0.5, 1.0).tolist(),
        "ascending_split": adaptive_kl_ascending(s64, t64, 0.5, 1.0).tolist(),
    }


def taid(s_logits, t_logits, t, interpolation, temperature):
    """TAID's released code: p_t = softmax((1 - t) * z_s.detach() + t * z_t); loss = -sum p_t log q."""
    zs, zt = s_logits / temperature, t_logits / temperature
    if interpolation == "logits":
        p_t = F.softmax((1 - t) * zs.detach() + t * zt, dim=-1)
    else:
        p_t = (1 - t) * F.softmax(zs.detach(), -1) + t * F.softmax(zt, -1)
    return -(p_t * F.log_softmax(zs, -1)).sum(-1)


DIVERGENCES = {
    "forward_kl": lambda s, t, T: forward_kl(s, t, T),
    "reverse_kl": lambda s, t, T: reverse_kl(s, t, T),
    "jsd_0.0": lambda s, t, T: generalized_jsd(s, t, 0.0, T),
    "jsd_0.1": lambda s, t, T: generalized_jsd(s, t, 0.1, T),
    "jsd_0.5": lambda s, t, T: generalized_jsd(s, t, 0.5, T),
    "jsd_0.9": lambda s, t, T: generalized_jsd(s, t, 0.9, T),
    "jsd_1.0": lambda s, t, T: generalized_jsd(s, t, 1.0, T),
    "skew_kl_0.1": lambda s, t, T: skew_kl(s, t, 0.1, T),
    "skew_reverse_kl_0.1": lambda s, t, T: skew_reverse_kl(s, t, 0.1, T),
    "total_variation": lambda s, t, T: total_variation(s, t, T),
    "adaptive_kl_0.5": lambda s, t, T: adaptive_kl(s, t, 0.5, T),
    "taid_0.4_logits": lambda s, t, T: taid(s, t, 0.4, "logits", T),
    "taid_0.4_probabilities": lambda s, t, T: taid(s, t, 0.4, "probabilities", T),
}


def reductions(per_token, lab):
    """TRL-style reductions over positions whose label is not IGNORE."""
    mask = (lab != IGNORE).to(per_token.dtype)
    masked = per_token * mask
    total = masked.sum()
    token_mean = total / mask.sum()
    lengths = mask.sum(-1)
    has = lengths > 0
    sequence_mean = (masked.sum(-1)[has] / lengths[has]).mean()   # sequences with no valid token skipped
    return {
        "token_mean": token_mean.item(),
        "sequence_mean": sequence_mean.item(),
        "sum": total.item(),
        "sum_over_items": (total / ITEM_COUNT).item(),
        "none": masked.tolist(),
    }


def hinton_kd(s, t, y, alpha, temperature):
    """alpha * T^2 * KL(p_T || q_T) + (1 - alpha) * CE(y, q), batch mean over non-ignored examples."""
    soft = F.kl_div(F.log_softmax(s / temperature, -1), F.softmax(t / temperature, -1),
                    reduction="none").sum(-1) * temperature ** 2
    hard = F.cross_entropy(s, y, ignore_index=IGNORE, reduction="none")
    per = alpha * soft + (1 - alpha) * hard
    mask = (y != IGNORE).to(per.dtype)
    return per * mask, (per * mask).sum() / mask.sum()


def symmetric_ce(s, y, alpha, beta):
    """SCE paper code (rce with the one-hot clamped at 1e-4), without its clamp of the prediction."""
    valid = y != IGNORE
    y_safe = torch.where(valid, y, torch.zeros_like(y))
    ce = F.cross_entropy(s, y, ignore_index=IGNORE, reduction="none")
    pred = F.softmax(s, dim=1)
    one_hot = torch.clamp(F.one_hot(y_safe, K).to(pred.dtype), min=1e-4, max=1.0)
    rce = -(pred * torch.log(one_hot)).sum(1)
    per = (alpha * ce + beta * rce) * valid.to(pred.dtype)
    return per, per.sum() / valid.sum()


def taid_schedule(losses, total_steps, t_start=0.4, t_end=1.0, alpha=5e-4, beta=0.99):
    """TAID's update_t, in plain floats; returns t after each update (steps 1, 2, ...)."""
    t, prev, m, out = t_start, math.inf, 0.0, []
    for step, loss in enumerate(losses, start=1):
        if math.isinf(prev):
            prev = loss
            out.append(t)
            continue
        rel = (prev - loss) / (prev + 1e-15)
        m = beta * m + (1 - beta) * rel
        delta = alpha * (1 / (1 + math.exp(-m))) * (1 - t)
        target = t_start + (t_end - t_start) * step / total_steps
        t = min(t_end, max(target, t + delta))
        prev = loss
        out.append(t)
    return out


def main():
    s64, t64 = student.double(), teacher.double()
    out = {
        "shape": [B, T, V], "ignore_index": IGNORE, "item_count": ITEM_COUNT,
        "student": student.tolist(), "teacher": teacher.tolist(), "labels": labels.tolist(),
        "torch_version": torch.__version__, "divergences": {}, "gradients": {},
    }
    for name, fn in DIVERGENCES.items():
        out["divergences"][name] = {}
        for temperature in TEMPERATURES:
            per = fn(s64, t64, temperature)
            entry = {"per_token": per.tolist()}
            entry.update(reductions(per, labels))
            out["divergences"][name][str(temperature)] = entry
    # d(token mean at T = 2)/d(student logits), by autograd
    for name in ["forward_kl", "reverse_kl", "jsd_0.0", "jsd_0.1", "jsd_0.5", "jsd_0.9", "jsd_1.0", "skew_kl_0.1", "total_variation",
                 "adaptive_kl_0.5", "taid_0.4_logits"]:
        s = s64.clone().requires_grad_(True)
        loss = reductions(DIVERGENCES[name](s, t64, 2.0), labels)
        mask = (labels != IGNORE).double()
        value = (DIVERGENCES[name](s, t64, 2.0) * mask).sum() / mask.sum()
        value.backward()
        out["gradients"][name] = {"temperature": 2.0, "token_mean": loss["token_mean"], "grad": s.grad.tolist()}
    # sequence-level cross-entropy
    ce = F.cross_entropy(s64.reshape(-1, V), labels.reshape(-1), ignore_index=IGNORE, reduction="none")
    out["cross_entropy"] = {"per_token": ce.reshape(B, T).tolist(),
                            "token_mean": F.cross_entropy(s64.reshape(-1, V), labels.reshape(-1),
                                                          ignore_index=IGNORE).item()}
    # classifiers
    c_s, c_t = cls_student.double(), cls_teacher.double()
    per, mean = hinton_kd(c_s, c_t, cls_labels, alpha=0.7, temperature=3.0)
    sce_per, sce_mean = symmetric_ce(c_s, cls_labels, alpha=0.1, beta=1.0)
    out["classifier"] = {
        "student": cls_student.tolist(), "teacher": cls_teacher.tolist(), "labels": cls_labels.tolist(),
        "hinton": {"alpha": 0.7, "temperature": 3.0, "per_example": per.tolist(), "mean": mean.item()},
        "sce": {"alpha": 0.1, "beta": 1.0, "per_example": sce_per.tolist(), "mean": sce_mean.item()},
    }
    losses = [5.0, 4.6, 4.7, 4.1, 3.9, 3.95, 3.5, 3.2, 3.3, 2.9]
    out["taid_schedule"] = {"losses": losses, "total_steps": 20, "t": taid_schedule(losses, 20),
                            "total_steps_long": 100000, "t_long": taid_schedule(losses, 100000)}
    out["adaptive_kl_crossing"] = akl_crossing_case()
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "losses.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
