"""The PyTorch twin of docs/bench/StepPhases.java: the benchmark's reference model and training step
(gold-app/src/main/resources/ai/goldkd/bench/reference.py), each phase timed on its own.
Run from the checkout's root:  "$(environment/bench-python)" docs/bench/step_phases.py 10
A measurement aid, not part of the library."""
import importlib.util
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
spec = importlib.util.spec_from_file_location("reference", "gold-app/src/main/resources/ai/goldkd/bench/reference.py")
reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(reference)
c = {"layers": 4, "dim": 256, "heads": 4, "mlp": 1024, "vocab": 8192, "context": 128}
lm, opt = reference.model_for(c, True)
gen = torch.Generator().manual_seed(1)
data = torch.randint(3, c["vocab"], (64, c["context"] + 1), generator=gen)
steps, warm_up, batch = (int(sys.argv[1]) if len(sys.argv) > 1 else 10), 3, 16
ms = [0.0, 0.0, 0.0, 0.0]  # forward + loss, backward, norm, optimizer
for s in range(warm_up + steps):
    rows = data[torch.randint(0, 64, (batch,), generator=gen)]
    t0 = time.perf_counter()
    logits = lm(rows[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), rows[:, 1:].reshape(-1), ignore_index=-100)
    loss.item()
    t1 = time.perf_counter()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    t2 = time.perf_counter()
    torch.nn.utils.clip_grad_norm_(lm.parameters(), 1.0)
    t3 = time.perf_counter()
    opt.step()
    t4 = time.perf_counter()
    if s >= warm_up:
        for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            ms[i] += d * 1e3
total = sum(ms)
print("per step ms: forward+loss %.1f backward %.1f norm %.1f step %.1f total %.1f -> %.0f tokens/s"
      % (ms[0] / steps, ms[1] / steps, ms[2] / steps, ms[3] / steps, total / steps,
         steps * batch * c["context"] / (total / 1e3)))
