"""PyTorch eager twin of gold's Llama-shape benchmarks (issues 16 and 22), on the same safetensors weights.

The model is written from transformers' modeling_llama conventions (eager attention): RMSNorm in float32,
rotate-half RoPE (rope_theta), grouped-query attention by repeating each kv head, scores times
head_dim^-0.5, softmax in float32, SwiGLU MLP, final RMSNorm, untied lm_head. A preallocated KV cache for
sampling (top-k 50, one prompt token per row, no EOS stop), as reference.py's sampler.

The GKD step is the one TRL's GKDTrainer takes (trl/trainer/gkd_trainer.py, generalized_jsd_loss): the
student's logits, the teacher's logits under torch.no_grad(), both divided by the temperature (0.9),
log-softmaxes, the mixture log(1 - beta) + log q and log(beta) + log p through logsumexp of a stack,
beta * KL(p || m) + (1 - beta) * KL(q || m) by F.kl_div(log_target=True), summed over the vocabulary and
averaged over the tokens ("batchmean" over counted positions), then backward, clip_grad_norm_(1.0) and
AdamW (lr 3e-4, weight decay 0.01), gradients set to None.

Used two ways:
  imported by reference.py (ops hf_train and hf_sample), and
  python hf_reference.py gkd TEACHER_DIR STUDENT_DIR BATCH LENGTH WARMUP STEPS THREADS
      -> one JSON line {"tokens_per_s": ..., "peak_rss_mb": ...}: the whole process's peak (ru_maxrss),
         in a process of its own.
"""
import json
import os
import resource
import struct
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    """The F32 tensors of a safetensors file, read from the format's spec (no safetensors package), each read
    straight into its own tensor (no second copy of the file in memory)."""
    out = {}
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        for name, e in header.items():
            if name == "__metadata__":
                continue
            if e["dtype"] != "F32":
                raise ValueError("%s is %s; the benchmark writes F32" % (name, e["dtype"]))
            a, b = e["data_offsets"]
            t = torch.empty(e["shape"], dtype=torch.float32)
            f.seek(8 + n + a)
            if f.readinto(memoryview(t.numpy()).cast("B")) != b - a:
                raise ValueError("%s is cut short in %s" % (name, path))
            out[name] = t
    return out


def rms_norm(x, w, eps):
    dtype = x.dtype
    x = x.float()
    x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps)
    return w * x.to(dtype)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Llama(nn.Module):
    def __init__(self, directory):
        super().__init__()
        with open(os.path.join(directory, "config.json")) as f:
            self.c = c = json.load(f)
        weights = read_safetensors(os.path.join(directory, "model.safetensors"))
        self.names = list(weights)
        self.params = nn.ParameterDict({k.replace(".", "__"): nn.Parameter(v) for k, v in weights.items()})
        self.heads, self.kv = c["num_attention_heads"], c["num_key_value_heads"]
        self.hd = c["hidden_size"] // self.heads
        self.eps = c["rms_norm_eps"]
        self.layers = c["num_hidden_layers"]
        self.vocab = c["vocab_size"]
        inv = 1.0 / (c.get("rope_theta", 10000.0) ** (torch.arange(0, self.hd, 2, dtype=torch.int64).float() / self.hd))
        self.register_buffer("inv_freq", inv, persistent=False)
        context = c["max_position_embeddings"]
        self.register_buffer("causal", torch.full((context, context), torch.finfo(torch.float32).min).triu(1),
                             persistent=False)

    def w(self, name):
        return self.params[name.replace(".", "__")]

    def hidden(self, ids, cache=None, start=0):
        b, t = ids.shape
        h_, kv, hd = self.heads, self.kv, self.hd
        x = F.embedding(ids, self.w("model.embed_tokens.weight"))
        freqs = torch.arange(start, start + t).float()[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        mask = None if t == 1 else self.causal[start:start + t, :start + t]
        for i in range(self.layers):
            p = "model.layers.%d." % i
            h = rms_norm(x, self.w(p + "input_layernorm.weight"), self.eps)
            q = F.linear(h, self.w(p + "self_attn.q_proj.weight")).view(b, t, h_, hd).transpose(1, 2)
            k = F.linear(h, self.w(p + "self_attn.k_proj.weight")).view(b, t, kv, hd).transpose(1, 2)
            v = F.linear(h, self.w(p + "self_attn.v_proj.weight")).view(b, t, kv, hd).transpose(1, 2)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            if cache is not None:
                keys, values = cache
                keys[i][:, :, start:start + t] = k
                values[i][:, :, start:start + t] = v
                k, v = keys[i][:, :, :start + t], values[i][:, :, :start + t]
            rep, tk = h_ // kv, k.shape[2]
            if rep > 1:
                k = k[:, :, None].expand(b, kv, rep, tk, hd).reshape(b, h_, tk, hd)
                v = v[:, :, None].expand(b, kv, rep, tk, hd).reshape(b, h_, tk, hd)
            scores = q @ k.transpose(2, 3) * hd ** -0.5
            if mask is not None:
                scores = scores + mask
            y = (scores.softmax(-1, dtype=torch.float32) @ v).transpose(1, 2).reshape(b, t, h_ * hd)
            x = x + F.linear(y, self.w(p + "self_attn.o_proj.weight"))
            h = rms_norm(x, self.w(p + "post_attention_layernorm.weight"), self.eps)
            gate = F.linear(h, self.w(p + "mlp.gate_proj.weight"))
            up = F.linear(h, self.w(p + "mlp.up_proj.weight"))
            x = x + F.linear(F.silu(gate) * up, self.w(p + "mlp.down_proj.weight"))
        return rms_norm(x, self.w("model.norm.weight"), self.eps)

    def forward(self, ids, cache=None, start=0):
        return F.linear(self.hidden(ids, cache, start), self.w("lm_head.weight"))


MODELS = {}


def model_for(directory, train):
    key = (directory, train)
    if key not in MODELS:
        lm = Llama(directory)
        opt = torch.optim.AdamW(lm.parameters(), lr=3e-4, weight_decay=0.01) if train else None
        if not train:
            lm.requires_grad_(False)
        MODELS[key] = (lm, opt)
    return MODELS[key]


def train(cmd):
    """Fine-tuning steps: random token sequences, cross-entropy, clipping, AdamW."""
    lm, opt = model_for(cmd["dir"], True)
    batch, length, steps = cmd["batch"], cmd["length"], cmd["steps"]
    gen = torch.Generator().manual_seed(1)
    data = torch.randint(3, lm.vocab, (64, length + 1), generator=gen)
    start = time.perf_counter()
    for _ in range(steps):
        rows = data[torch.randint(0, 64, (batch,), generator=gen)]
        logits = lm(rows[:, :-1])
        loss = F.cross_entropy(logits.reshape(-1, lm.vocab), rows[:, 1:].reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(lm.parameters(), 1.0)
        opt.step()
        loss.item()
    return {"tokens_per_s": steps * batch * length / (time.perf_counter() - start)}


@torch.no_grad()
def sample(cmd):
    """KV-cached sampling: one prompt token per row, top-k 50. Batch 1 runs on one thread, as gold's
    Sampler does (a second OpenMP thread on one-row decoding mostly spins: PERFORMANCE.md)."""
    lm, _ = model_for(cmd["dir"], False)
    batch, new = cmd["batch"], cmd["new_tokens"]
    threads = torch.get_num_threads()
    if batch == 1:
        torch.set_num_threads(1)
    try:
        return _sample(lm, batch, new)
    finally:
        torch.set_num_threads(threads)


def _sample(lm, batch, new):
    gen = torch.Generator().manual_seed(2)
    start = time.perf_counter()
    seq = torch.arange(1, batch + 1).view(batch, 1)
    shape = (batch, lm.kv, 1 + new, lm.hd)
    cache = ([torch.zeros(shape) for _ in range(lm.layers)], [torch.zeros(shape) for _ in range(lm.layers)])
    length = 0
    for _ in range(new):
        logits = lm(seq[:, length:], cache, length)[:, -1]
        length = seq.shape[1]
        top, idx = logits.topk(50, dim=-1)
        pick = torch.multinomial(top.softmax(-1), 1, generator=gen)
        seq = torch.cat([seq, idx.gather(-1, pick)], dim=1)
    return {"tokens_per_s": batch * new / (time.perf_counter() - start)}


def generalized_jsd_loss(student_logits, teacher_logits, labels=None, beta=0.5, temperature=1.0):
    """TRL's GKDTrainer.generalized_jsd_loss (reduction batchmean over the counted tokens)."""
    student_logits = student_logits / temperature
    teacher_logits = teacher_logits / temperature
    student_log_probs = F.log_softmax(student_logits, dim=-1)
    teacher_log_probs = F.log_softmax(teacher_logits, dim=-1)
    beta = torch.tensor(beta, dtype=student_log_probs.dtype)
    mixture_log_probs = torch.logsumexp(
        torch.stack([student_log_probs + torch.log(1 - beta), teacher_log_probs + torch.log(beta)]), dim=0)
    kl_teacher = F.kl_div(mixture_log_probs, teacher_log_probs, reduction="none", log_target=True)
    kl_student = F.kl_div(mixture_log_probs, student_log_probs, reduction="none", log_target=True)
    jsd = beta * kl_teacher + (1 - beta) * kl_student
    if labels is not None:
        mask = labels != -100
        jsd = jsd[mask]
        return jsd.sum() / mask.sum()
    return jsd.sum() / (jsd.size(0) * jsd.size(1))


def gkd(teacher_dir, student_dir, batch, length, warmup, steps):
    teacher, _ = model_for(teacher_dir, False)
    student, opt = model_for(student_dir, True)
    teacher.eval()
    student.train()
    gen = torch.Generator().manual_seed(3)
    ids = torch.randint(3, student.vocab, (batch, length), generator=gen)
    labels = ids.clone()

    def step():
        student_logits = student(ids)
        with torch.no_grad():
            teacher_logits = teacher(ids)
        loss = generalized_jsd_loss(student_logits, teacher_logits, labels, beta=0.5, temperature=0.9)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(student.parameters(), 1.0)
        opt.step()
        return loss.item()

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return {"tokens_per_s": steps * batch * length / seconds, "peak_rss_mb": peak}


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "gkd":
    torch.set_num_threads(int(sys.argv[8]))
    print(json.dumps(gkd(sys.argv[2], sys.argv[3], *[int(a) for a in sys.argv[4:8]])), flush=True)
