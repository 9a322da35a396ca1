"""The PyTorch twin of docs/bench/FusedCeProbe.java: F.cross_entropy(h @ W.T, y) forward and backward.
Run:  "$(environment/bench-python)" docs/bench/fused_ce_probe.py N D V    A measurement aid."""
import sys, time, torch, torch.nn.functional as F
n, d, v = map(int, sys.argv[1:4])
torch.set_num_threads(2)
h = torch.randn(n, d, requires_grad=True); w = (torch.randn(v, d) * 0.02).requires_grad_(True)
y = torch.randint(0, v, (n,))
for r in range(8):
    t = 0
    for k in range(2):
        t0 = time.perf_counter()
        l = F.cross_entropy(h @ w.T, y); l.backward(); float(l); float(h.grad[0, 0])
        t += (time.perf_counter() - t0) * 1000
    print(f"round {r} torch {t/2:.1f} ms")
