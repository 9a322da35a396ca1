"""Writes fused_adamw.pt beside this script: a TorchScript module, with no parameters, whose two methods
run libtorch's own multi-tensor kernels on every parameter of a model in one call each. gold's
TrainingLoop loads it through DJL (ai.goldkd.train.FusedAdamW), so an optimizer step is a handful of
native calls instead of a handful per parameter; the file holds code only, which libtorch compiles when
it loads it.

    forward(params, grads, exp_avgs, exp_avg_sqs, steps, lr, beta1, beta2, weight_decay, eps, grad_factor)
        grads *= grad_factor (when it is not 1: global-norm clipping, as torch.nn.utils.clip_grad_norm_)
        steps += 1
        torch._fused_adamw_(...)      the kernel of torch.optim.AdamW(fused=True):
            p     <- p (1 - lr wd)
            m     <- beta1 m + (1 - beta1) g
            v     <- beta2 v + (1 - beta2) g^2
            p     <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
        grads <- 0
    norm(grads) -> ||(||g_1||, ..., ||g_n||)||_2     the global L2 norm, as clip_grad_norm_ computes it

Run with a PyTorch of 2.4 or later (the CPU fused kernel), e.g. the benchmark's:
    "$(environment/bench-python)" gold-lib/src/main/resources/ai/goldkd/train/make_fused_adamw.py
libtorch 2.7.1 (DJL 0.35.1's) runs the file that PyTorch 2.13 writes.
"""
import os
from typing import List

import torch
from torch import Tensor


class FusedAdamW(torch.nn.Module):
    def forward(self, params: List[Tensor], grads: List[Tensor], exp_avgs: List[Tensor],
                exp_avg_sqs: List[Tensor], steps: List[Tensor], lr: float, beta1: float, beta2: float,
                weight_decay: float, eps: float, grad_factor: float) -> int:
        if grad_factor != 1.0:
            torch._foreach_mul_(grads, grad_factor)
        torch._foreach_add_(steps, 1.0)
        torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, [], steps, lr=lr, beta1=beta1, beta2=beta2,
                            weight_decay=weight_decay, eps=eps, amsgrad=False, maximize=False)
        torch._foreach_zero_(grads)
        return len(params)

    @torch.jit.export
    def norm(self, grads: List[Tensor]) -> Tensor:
        norms = torch._foreach_norm(grads, 2.0)
        return torch.linalg.vector_norm(torch.stack(norms), 2.0)


def main():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fused_adamw.pt")
    torch.jit.script(FusedAdamW()).save(path)
    print("wrote", path, "with PyTorch", torch.__version__)


if __name__ == "__main__":
    main()
