"""PyTorch eager reference for `gold bench --compare`.

The same decoder as ai.goldkd.model.CausalLm (pre-LayerNorm, learned positions, tied head, GELU MLP,
attention as matmul + additive causal mask + softmax), the same initialisation scheme (GPT-2's:
N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 * layers)), zero biases, unit LayerNorm gains),
the same optimizer (AdamW, weight decay 0.01, global-norm clipping at 1.0) and the same sampler
settings (top-k 50, one prompt token, no EOS stop).

A worker: it reads one JSON command per line on stdin and answers one JSON line on stdout, so the
Java side can alternate repetitions with its own in one process pair.

  {"op": "train", "config": {...}, "batch": 16, "steps": 5}         -> {"tokens_per_s": ...}
  {"op": "sample", "config": {...}, "batch": 1, "new_tokens": 256,
   "cache": true, "rounds": 1}                                       -> {"tokens_per_s": ...}
  {"op": "hf_train", "dir": ..., "batch": 4, "length": 256, "steps": 2}  -> {"tokens_per_s": ...}
  {"op": "hf_sample", "dir": ..., "batch": 8, "new_tokens": 128}       -> {"tokens_per_s": ...}
  {"op": "quit"}

The hf_ ops run hf_reference.py's Llama on a Hugging Face directory's safetensors weights.
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MASKED = -1e9


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        d, m = c["dim"], c["mlp"]
        self.heads = c["heads"]
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, m)
        self.out = nn.Linear(m, d)

    def forward(self, x, mask, cache=None, layer=0, start=0):
        b, t, d = x.shape
        h = self.heads
        hd = d // h
        qkv = self.qkv(self.ln1(x)).view(b, t, 3, h, hd).permute(2, 0, 3, 1, 4)  # (3, B, H, T, hd)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if cache is not None:
            keys, values = cache
            keys[layer][:, :, start:start + t] = k
            values[layer][:, :, start:start + t] = v
            k = keys[layer][:, :, :start + t]
            v = values[layer][:, :, :start + t]
        scores = q @ k.transpose(-2, -1) * (1.0 / math.sqrt(hd))  # (B, H, T, Tk)
        if mask is not None:
            scores = scores + mask
        y = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class Lm(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.wte = nn.Embedding(c["vocab"], c["dim"])
        self.wpe = nn.Embedding(c["context"], c["dim"])
        self.layers = nn.ModuleList(Layer(c) for _ in range(c["layers"]))
        self.ln_f = nn.LayerNorm(c["dim"])
        residual = 0.02 / math.sqrt(2 * c["layers"])
        for name, p in self.named_parameters():
            if name.endswith("proj.weight") or name.endswith("out.weight"):
                nn.init.normal_(p, 0.0, residual)
            elif name.endswith("weight") and p.dim() == 2:
                nn.init.normal_(p, 0.0, 0.02)
            elif "ln" in name and name.endswith("weight"):
                nn.init.ones_(p)
            else:
                nn.init.zeros_(p)
        c_mask = torch.full((c["context"], c["context"]), MASKED).triu(1)
        self.register_buffer("causal", c_mask, persistent=False)

    def forward(self, ids, cache=None, start=0):
        b, t = ids.shape
        x = self.wte(ids) + self.wpe(torch.arange(start, start + t))
        mask = None if t == 1 else self.causal[start:start + t, :start + t]
        for i, layer in enumerate(self.layers):
            x = layer(x, mask, cache, i, start)
        return F.linear(self.ln_f(x), self.wte.weight)  # tied head: (B, T, V)


MODELS = {}


def model_for(c, train):
    key = (json.dumps(c, sort_keys=True), train)
    if key not in MODELS:
        torch.manual_seed(1)
        lm = Lm(c)
        opt = torch.optim.AdamW(lm.parameters(), lr=3e-4, weight_decay=0.01) if train else None
        MODELS[key] = (lm, opt)
    return MODELS[key]


def train(cmd):
    c, batch, steps = cmd["config"], cmd["batch"], cmd["steps"]
    lm, opt = model_for(c, True)
    lm.train()
    gen = torch.Generator().manual_seed(1)
    data = torch.randint(3, c["vocab"], (64, c["context"] + 1), generator=gen)
    start = time.perf_counter()
    for s in range(steps):
        rows = data[torch.randint(0, 64, (batch,), generator=gen)]
        logits = lm(rows[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, c["vocab"]), rows[:, 1:].reshape(-1), ignore_index=-100)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(lm.parameters(), 1.0)
        opt.step()
        loss.item()
    seconds = time.perf_counter() - start
    return {"tokens_per_s": steps * batch * c["context"] / seconds}


@torch.no_grad()
def sample(cmd):
    c, batch, new, use_cache = cmd["config"], cmd["batch"], cmd["new_tokens"], cmd["cache"]
    lm, _ = model_for(c, False)
    lm.eval()
    gen = torch.Generator().manual_seed(2)
    tokens = 0
    start = time.perf_counter()
    for _ in range(cmd["rounds"]):
        seq = torch.arange(1, batch + 1).view(batch, 1)
        shape = (batch, c["heads"], 1 + new, c["dim"] // c["heads"])
        cache = ([torch.zeros(shape) for _ in range(c["layers"])],
                 [torch.zeros(shape) for _ in range(c["layers"])]) if use_cache else None
        length = 0
        for _ in range(new):
            if use_cache:
                logits = lm(seq[:, length:], cache, length)[:, -1]  # (B, V)
                length = seq.shape[1]
            else:
                logits = lm(seq)[:, -1]
            top, idx = logits.topk(50, dim=-1)
            pick = torch.multinomial(top.softmax(-1), 1, generator=gen)
            seq = torch.cat([seq, idx.gather(-1, pick)], dim=1)
            tokens += batch
    seconds = time.perf_counter() - start
    return {"tokens_per_s": tokens / seconds}


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else torch.get_num_threads()
    torch.set_num_threads(threads)
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "quit":
            break
        if cmd["op"].startswith("hf_"):
            import hf_reference
            result = (hf_reference.train if cmd["op"] == "hf_train" else hf_reference.sample)(cmd)
        else:
            result = train(cmd) if cmd["op"] == "train" else sample(cmd)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
