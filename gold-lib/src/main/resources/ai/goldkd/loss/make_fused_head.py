"""Writes fused_head.pt beside this script: a TorchScript module, with no parameters, that runs an LM head
fused with its loss a chunk of positions at a time, in a fixed set of preallocated buffers: GKD's generalized
JSD (beta 0 = forward KL, beta 1 = reverse KL) and the next-token cross-entropy. gold's FusedHeadDivergence
and FusedHeadCrossEntropy call it through DJL (ai.goldkd.loss.FusedHeadKernel) for float32 PyTorch arrays;
the file holds code only, which libtorch compiles when it loads it.

For a chunk c of positions, with the student's hidden states h (N, D) and head W (V, D), the teacher's
logits t (its hidden states times its head, or given), temperature T and the reduction's weights w (N,):

    log q = log_softmax(h_c W^T / T),  log p = log_softmax(t_c / T)                  (C, V) each
    0 < beta < 1:  log m = log(beta p + (1 - beta) q)
                   D_i   = beta KL(p_i || m_i) + (1 - beta) KL(q_i || m_i)
                   G     = ((1 - beta) / T) q (l - sum_v q_v l_v),   l = log q - log m
    beta = 0:      D_i = KL(p_i || q_i),   G = (q - p) / T
    beta = 1:      D_i = KL(q_i || p_i),   G = (1 / T) q (l - sum_v q_v l_v),   l = log q - log p
    G_i  <- w_i G_i (0 where w_i = 0)
    loss += sum_i w_i D_i,   dL/dh_c = G W,   dL/dW += G^T h_c     (addmm_, in place)

and for the cross-entropy with labels y (N,): CE_i = -log softmax(z_i)[y_i], G_i = w_i (softmax(z_i) -
onehot(y_i)). The JSD's four (C, V) float32 buffers (the cross-entropy's two), made once per call, hold every
intermediate (out= and in-place operations, row dot products by bmm), so the memory above the inputs is those
buffers plus dL/dh (N, D) and dL/dW (V, D), whatever N is.

    with_head(h, w, teacher_h, teacher_w, weights, beta, temperature, chunk) -> (loss, dL/dh, dL/dW)
    with_logits(h, w, teacher_logits, weights, beta, temperature, chunk)    -> (loss, dL/dh, dL/dW)
    cross_entropy(h, w, labels, weights, chunk)                            -> (loss, dL/dh, dL/dW)
    with_head_into, with_logits_into, cross_entropy_into (..., chunk, grad_w, scale) -> (loss, s dL/dh)
        grad_w += s dL/dW in place (a parameter's .grad, so no second (V, D) tensor exists); s scales the
        gradients (1 / micro-batches under gradient accumulation), not the loss
    is_leaf(w) -> bool
        whether w is a leaf that requires grad (so autograd accumulates into its .grad); DJL has no call
        for it. DJL runs a module's methods with autograd off, so the Java side makes a missing .grad

Run with a PyTorch of 2.0 or later, e.g. the benchmark's:
    "$(environment/bench-python)" gold-lib/src/main/resources/ai/goldkd/loss/make_fused_head.py
libtorch 2.7.1 (DJL 0.35.1's) runs the file that PyTorch 2.13 writes.
"""
import math
import os
from typing import List, Tuple

import torch
from torch import Tensor


def _buffers(h: Tensor, w: Tensor, rows: int, count: int) -> List[Tensor]:
    """count (rows, V) buffers of h's type and device, V = w's rows: a call's whole (C, V) memory."""
    return [torch.empty(rows, w.size(0), dtype=h.dtype, device=h.device) for _ in range(count)]


def _rowdot(a: Tensor, b: Tensor) -> Tensor:
    """sum_v a_iv b_iv for every row i, (C,), with no (C, V) temporary."""
    return torch.bmm(a.unsqueeze(1), b.unsqueeze(2)).view(-1)


def _log_softmax_into(scratch: Tensor, out: Tensor, temperature: float) -> None:
    """out <- log_softmax(scratch / T) over the last axis; scratch is overwritten."""
    if temperature != 1.0:
        scratch.div_(temperature)
    torch.log_softmax(scratch, 1, out=out)


def _chunk_gradient(x: Tensor, y: Tensor, a: Tensor, b: Tensor, beta: float, temperature: float) -> Tensor:
    """a = log q, b = log p on entry; returns the per-row divergence (C,), leaves G (unweighted) in y.
    x is scratch; a and b are overwritten."""
    if beta == 0.0:
        torch.sub(b, a, out=y)                         # log p - log q
        b.exp_()                                       # p
        y.mul_(b)
        value = y.sum(1)                               # KL(p || q)
        torch.exp(a, out=y)                            # q
        y.sub_(b).div_(temperature)                    # (q - p) / T
        return value
    if beta == 1.0:
        torch.sub(a, b, out=y)                         # l = log q - log p
        a.exp_()                                       # q
        kl_qp = _rowdot(a, y)                          # sum_v q_v l_v = KL(q || p)
        y.sub_(kl_qp.unsqueeze(1)).mul_(a).div_(temperature)
        return kl_qp
    torch.add(b, math.log(beta), out=x)                # log(beta p)
    torch.add(a, math.log1p(-beta), out=y)             # log((1 - beta) q)
    torch.logaddexp(x, y, out=x)                       # log m
    torch.sub(b, x, out=y)                             # log p - log m
    b.exp_()                                           # p
    y.mul_(b)
    kl_pm = y.sum(1)                                   # KL(p || m)
    torch.sub(a, x, out=y)                             # l = log q - log m
    a.exp_()                                           # q
    kl_qm = _rowdot(a, y)                              # sum_v q_v l_v = KL(q || m)
    y.sub_(kl_qm.unsqueeze(1)).mul_(a).mul_((1.0 - beta) / temperature)
    return beta * kl_pm + (1.0 - beta) * kl_qm


def _backprop_chunk(g: Tensor, weights: Tensor, scale: float, w: Tensor, hc: Tensor, grad_h_rows: Tensor,
                    grad_w: Tensor) -> None:
    """g <- scale w_i g_i (0 where w_i = 0), then dL/dh_c = g W into its rows and dL/dW += g^T h_c."""
    g.mul_((weights * scale).unsqueeze(1)).masked_fill_((weights > 0).logical_not().unsqueeze(1), 0.0)
    torch.mm(g, w, out=grad_h_rows)
    grad_w.addmm_(g.t(), hc)


def _weighted_sum(values: Tensor, weights: Tensor) -> Tensor:
    """sum_i w_i v_i over the counted rows (w_i > 0), in float64."""
    return torch.where(weights > 0, values * weights, torch.zeros_like(values)).sum().double()


class FusedHead(torch.nn.Module):
    def _run(self, h: Tensor, w: Tensor, teacher_h: Tensor, teacher_w: Tensor, teacher_from_head: bool,
             weights: Tensor, beta: float, temperature: float, chunk: int, grad_w: Tensor,
             scale: float) -> Tuple[Tensor, Tensor]:
        h = h.detach()
        w = w.detach()
        teacher_h = teacher_h.detach()
        teacher_w = teacher_w.detach()
        weights = weights.detach()
        n = h.size(0)
        c = min(chunk, n)
        x, y, a, b = _buffers(h, w, c, 4)
        grad_h = torch.empty_like(h)
        total = torch.zeros((), dtype=torch.float64, device=h.device)
        for start in range(0, n, c):
            end = min(n, start + c)
            rows = end - start
            xc = x[:rows]
            yc = y[:rows]
            ac = a[:rows]
            bc = b[:rows]
            hc = h[start:end]
            torch.mm(hc, w.t(), out=xc)                       # the student's logits
            _log_softmax_into(xc, ac, temperature)            # log q
            if teacher_from_head:
                torch.mm(teacher_h[start:end], teacher_w.t(), out=xc)
            else:
                xc.copy_(teacher_h[start:end])
            _log_softmax_into(xc, bc, temperature)            # log p
            value = _chunk_gradient(xc, yc, ac, bc, beta, temperature)
            wc = weights[start:end]
            total += _weighted_sum(value, wc)
            _backprop_chunk(yc, wc, scale, w, hc, grad_h[start:end], grad_w)
        return total.to(h.dtype), grad_h

    @torch.jit.export
    def with_head(self, h: Tensor, w: Tensor, teacher_h: Tensor, teacher_w: Tensor, weights: Tensor, beta: float,
                  temperature: float, chunk: int) -> Tuple[Tensor, Tensor, Tensor]:
        grad_w = torch.zeros_like(w)
        loss, grad_h = self._run(h, w, teacher_h, teacher_w, True, weights, beta, temperature, chunk, grad_w, 1.0)
        return loss, grad_h, grad_w

    @torch.jit.export
    def with_logits(self, h: Tensor, w: Tensor, teacher_logits: Tensor, weights: Tensor, beta: float,
                    temperature: float, chunk: int) -> Tuple[Tensor, Tensor, Tensor]:
        grad_w = torch.zeros_like(w)
        loss, grad_h = self._run(h, w, teacher_logits, teacher_logits, False, weights, beta, temperature, chunk,
                                 grad_w, 1.0)
        return loss, grad_h, grad_w

    @torch.jit.export
    def with_head_into(self, h: Tensor, w: Tensor, teacher_h: Tensor, teacher_w: Tensor, weights: Tensor,
                       beta: float, temperature: float, chunk: int, grad_w: Tensor,
                       scale: float) -> Tuple[Tensor, Tensor]:
        return self._run(h, w, teacher_h, teacher_w, True, weights, beta, temperature, chunk, grad_w, scale)

    @torch.jit.export
    def with_logits_into(self, h: Tensor, w: Tensor, teacher_logits: Tensor, weights: Tensor, beta: float,
                         temperature: float, chunk: int, grad_w: Tensor, scale: float) -> Tuple[Tensor, Tensor]:
        return self._run(h, w, teacher_logits, teacher_logits, False, weights, beta, temperature, chunk, grad_w,
                         scale)

    def _run_ce(self, h: Tensor, w: Tensor, labels: Tensor, weights: Tensor, chunk: int, grad_w: Tensor,
                scale: float) -> Tuple[Tensor, Tensor]:
        h = h.detach()
        w = w.detach()
        weights = weights.detach()
        n = h.size(0)
        c = min(chunk, n)
        x, a = _buffers(h, w, c, 2)
        grad_h = torch.empty_like(h)
        total = torch.zeros((), dtype=torch.float64, device=h.device)
        for start in range(0, n, c):
            end = min(n, start + c)
            rows = end - start
            xc = x[:rows]
            ac = a[:rows]
            hc = h[start:end]
            wc = weights[start:end]
            valid = wc > 0
            y = torch.where(valid, labels[start:end], torch.zeros_like(labels[start:end])).unsqueeze(1)
            torch.mm(hc, w.t(), out=xc)                       # the logits
            torch.log_softmax(xc, 1, out=ac)                  # log softmax
            picked = ac.gather(1, y).view(-1)                 # log p(y_i)
            total -= _weighted_sum(picked, wc)
            ac.exp_()                                         # softmax
            ac.scatter_add_(1, y, torch.full((rows, 1), -1.0, dtype=h.dtype, device=h.device))   # - onehot
            _backprop_chunk(ac, wc, scale, w, hc, grad_h[start:end], grad_w)
        return total.to(h.dtype), grad_h

    @torch.jit.export
    def cross_entropy(self, h: Tensor, w: Tensor, labels: Tensor, weights: Tensor,
                      chunk: int) -> Tuple[Tensor, Tensor, Tensor]:
        grad_w = torch.zeros_like(w)
        loss, grad_h = self._run_ce(h, w, labels, weights, chunk, grad_w, 1.0)
        return loss, grad_h, grad_w

    @torch.jit.export
    def cross_entropy_into(self, h: Tensor, w: Tensor, labels: Tensor, weights: Tensor, chunk: int,
                           grad_w: Tensor, scale: float) -> Tuple[Tensor, Tensor]:
        return self._run_ce(h, w, labels, weights, chunk, grad_w, scale)

    @torch.jit.export
    def is_leaf(self, w: Tensor) -> bool:
        return w.is_leaf and w.requires_grad

    def forward(self, h: Tensor, w: Tensor, teacher_logits: Tensor, weights: Tensor, beta: float,
                temperature: float, chunk: int) -> Tuple[Tensor, Tensor, Tensor]:
        return self.with_logits(h, w, teacher_logits, weights, beta, temperature, chunk)


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fused_head.pt")
    torch.jit.script(FusedHead()).save(path)
    print("wrote", path, "with PyTorch", torch.__version__)


if __name__ == "__main__":
    main()
