"""Writes tiny Hugging Face causal-LM checkpoints (random weights, real HF layout) and the logits and
greedy continuations that HF's modeling conventions give on them, for gold's Java tests.

Written from the conventions of transformers' modeling files (modeling_llama, modeling_mistral,
modeling_qwen2, modeling_qwen3, modeling_gpt2), not from gold's Java:
  - Llama family: RMSNorm computed in float32 (x * rsqrt(mean(x^2) + eps), cast back, times weight),
    rotate-half RoPE on cat(freqs, freqs) with rope_theta and rope_scaling (linear, llama3), q/k/v
    projections (biases for qwen2), per-head q/k RMSNorm before RoPE for qwen3, GQA by repeating each
    kv head num_attention_heads / num_key_value_heads times, scores times head_dim^-0.5, softmax in
    float32, SwiGLU MLP down(silu(gate(x)) * up(x)), tied or untied lm_head.
  - GPT-2: learned positions, Conv1D weights stored (in, out) so y = x @ W + b, c_attn split into
    q, k, v, gelu_new (or exact gelu), LayerNorm eps layer_norm_epsilon, lm_head tied to wte unless
    tie_word_embeddings is false.
Weights are drawn in float32, rounded to the stored dtype (F32, F16, BF16) and the reference computes
in float32 on the rounded values, as transformers does when it loads a checkpoint in float32.

The tokenizer is a WordLevel tokenizer.json (whitespace pre-tokenizer); Llama-style checkpoints get a
TemplateProcessing post-processor that puts <s> in front, as Llama's tokenizers do, and the prompt ids
below are what that post-processor gives.

Run from this directory with Debian's python3-torch:  /usr/bin/python3 make_checkpoints.py
It rewrites every directory below and golden.json. --check DIR reads an exported directory with HF's
names and prints the reference's prompt ids, logits and greedy continuations of PROMPTS as JSON (the
round-trip goldens: /usr/bin/python3 make_checkpoints.py --check DIR > causal-lm-gpt2.json).
"""
import json
import math
import os
import struct
import sys

import torch

WORDS = ("the a movie film was is good bad great awful plot acting story and but not very really "
         "i liked hated it this that of to end music scene actor long short fun dull").split()
SPECIALS = ["<unk>", "<s>", "</s>", "<pad>"]
VOCAB = SPECIALS + WORDS
PROMPTS = ["the movie was", "i liked the acting but not the plot", "a very long film"]
NEW_TOKENS = 8
DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def tokenizer_json(bos_template):
    post = None
    if bos_template:
        post = {"type": "TemplateProcessing",
                "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                         {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}
    added = [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for i, t in enumerate(SPECIALS)]
    return {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
            "normalizer": None, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": post,
            "decoder": None,
            "model": {"type": "WordLevel", "vocab": {t: i for i, t in enumerate(VOCAB)}, "unk_token": "<unk>"}}


def encode(text, bos_template):
    ids = [VOCAB.index(w) if w in VOCAB else 0 for w in text.split()]
    return ([1] if bos_template else []) + ids


# ---------------------------------------------------------------- safetensors, from the format's spec

def write_safetensors(path, tensors, dtype):
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name, t in tensors.items():
        t = t.to(dtype).contiguous()
        raw = t.view(torch.int16 if t.element_size() == 2 else torch.int32).numpy().tobytes()
        header[name] = {"dtype": [k for k, v in DTYPES.items() if v == dtype][0], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        a, b = e["data_offsets"]
        raw = bytearray(data[a:b])
        if e["dtype"] == "F32":
            t = torch.frombuffer(raw, dtype=torch.float32)
        else:
            t = torch.frombuffer(raw, dtype=torch.int16).view(DTYPES[e["dtype"]])
        out[name] = t.reshape(e["shape"]).float()
    return out


def read_weights(d):
    index = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(index):
        files = sorted(set(json.load(open(index))["weight_map"].values()))
        out = {}
        for f in files:
            out.update(read_safetensors(os.path.join(d, f)))
        return out
    return read_safetensors(os.path.join(d, "model.safetensors"))


# ---------------------------------------------------------------- the Llama family, HF's conventions

def rms_norm(x, w, eps):
    dtype = x.dtype
    x = x.float()
    variance = x.pow(2).mean(-1, keepdim=True)
    x = x * torch.rsqrt(variance + eps)
    return w * x.to(dtype)


def inv_freq(c, hd):
    base = c.get("rope_theta", 10000.0)
    inv = 1.0 / (base ** (torch.arange(0, hd, 2, dtype=torch.int64).float() / hd))
    rs = c.get("rope_scaling")
    if not rs:
        return inv
    kind = rs.get("rope_type", rs.get("type"))
    if kind == "linear":
        return inv / rs["factor"]
    if kind == "llama3":
        factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, scaled)
    raise ValueError(kind)


def rotate_half(x):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def llama_forward(c, w, ids):
    t = len(ids)
    heads, kv = c["num_attention_heads"], c["num_key_value_heads"]
    hd = c.get("head_dim") or c["hidden_size"] // heads
    eps = c["rms_norm_eps"]
    x = w["model.embed_tokens.weight"][torch.tensor(ids)].unsqueeze(0)  # (1, T, D)
    pos = torch.arange(t).float()
    freqs = pos[:, None] * inv_freq(c, hd)[None, :]
    emb = torch.cat((freqs, freqs), dim=-1)
    cos, sin = emb.cos()[None, None], emb.sin()[None, None]
    mask = torch.full((t, t), torch.finfo(torch.float32).min).triu(1)
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        h = rms_norm(x, w[p + "input_layernorm.weight"], eps)

        def proj(name, n):
            y = h @ w[p + "self_attn.%s_proj.weight" % name].T
            if p + "self_attn.%s_proj.bias" % name in w:
                y = y + w[p + "self_attn.%s_proj.bias" % name]
            return y.view(1, t, n, hd)
        q, k, v = proj("q", heads), proj("k", kv), proj("v", kv)
        if c["model_type"] == "qwen3":
            q = rms_norm(q, w[p + "self_attn.q_norm.weight"], eps)
            k = rms_norm(k, w[p + "self_attn.k_norm.weight"], eps)
        q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        rep = heads // kv
        k = k[:, :, None].expand(1, kv, rep, t, hd).reshape(1, heads, t, hd)
        v = v[:, :, None].expand(1, kv, rep, t, hd).reshape(1, heads, t, hd)
        scores = q @ k.transpose(2, 3) * hd ** -0.5 + mask
        attn = scores.softmax(-1, dtype=torch.float32) @ v
        x = x + attn.transpose(1, 2).reshape(1, t, heads * hd) @ w[p + "self_attn.o_proj.weight"].T
        h = rms_norm(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = h @ w[p + "mlp.gate_proj.weight"].T
        up = h @ w[p + "mlp.up_proj.weight"].T
        x = x + (torch.nn.functional.silu(gate) * up) @ w[p + "mlp.down_proj.weight"].T
    x = rms_norm(x, w["model.norm.weight"], eps)
    head = w["model.embed_tokens.weight"] if c.get("tie_word_embeddings") else w["lm_head.weight"]
    return (x @ head.T)[0]


def llama_weights(c, gen):
    d, m, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    heads, kv = c["num_attention_heads"], c["num_key_value_heads"]
    hd = c.get("head_dim") or d // heads
    r = lambda *s: torch.randn(*s, generator=gen) * 0.3
    w = {"model.embed_tokens.weight": r(v, d)}
    bias = c["model_type"] == "qwen2" or c.get("attention_bias", False)
    for i in range(c["num_hidden_layers"]):
        p = "model.layers.%d." % i
        w[p + "input_layernorm.weight"] = 1 + r(d)
        w[p + "self_attn.q_proj.weight"] = r(heads * hd, d)
        w[p + "self_attn.k_proj.weight"] = r(kv * hd, d)
        w[p + "self_attn.v_proj.weight"] = r(kv * hd, d)
        if bias:
            w[p + "self_attn.q_proj.bias"] = r(heads * hd)
            w[p + "self_attn.k_proj.bias"] = r(kv * hd)
            w[p + "self_attn.v_proj.bias"] = r(kv * hd)
        if c["model_type"] == "qwen3":
            w[p + "self_attn.q_norm.weight"] = 1 + r(hd)
            w[p + "self_attn.k_norm.weight"] = 1 + r(hd)
        w[p + "self_attn.o_proj.weight"] = r(d, heads * hd)
        w[p + "post_attention_layernorm.weight"] = 1 + r(d)
        w[p + "mlp.gate_proj.weight"] = r(m, d)
        w[p + "mlp.up_proj.weight"] = r(m, d)
        w[p + "mlp.down_proj.weight"] = r(d, m)
    w["model.norm.weight"] = 1 + r(d)
    if not c.get("tie_word_embeddings"):
        w["lm_head.weight"] = r(v, d)
    return w


# ---------------------------------------------------------------- GPT-2, HF's conventions

def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def gpt2_forward(c, w, ids):
    pre = "transformer." if "transformer.wte.weight" in w else ""
    t, d, heads = len(ids), c["n_embd"], c["n_head"]
    hd = d // heads
    eps = c.get("layer_norm_epsilon", 1e-5)
    ln = lambda x, n: torch.nn.functional.layer_norm(x, (d,), w[pre + n + ".weight"], w[pre + n + ".bias"], eps)
    act = gelu_new if c.get("activation_function", "gelu_new") in ("gelu_new", "gelu_pytorch_tanh") \
        else torch.nn.functional.gelu
    x = w[pre + "wte.weight"][torch.tensor(ids)] + w[pre + "wpe.weight"][torch.arange(t)]
    x = x.unsqueeze(0)
    causal = torch.ones(t, t).tril().bool()
    for i in range(c["n_layer"]):
        p = "h.%d." % i
        h = ln(x, p + "ln_1")
        qkv = h @ w[pre + p + "attn.c_attn.weight"] + w[pre + p + "attn.c_attn.bias"]
        q, k, v = qkv.split(d, dim=2)
        q, k, v = (y.view(1, t, heads, hd).transpose(1, 2) for y in (q, k, v))
        scores = q @ k.transpose(-1, -2) / math.sqrt(hd)
        scores = torch.where(causal, scores, torch.tensor(torch.finfo(torch.float32).min))
        a = (scores.softmax(-1) @ v).transpose(1, 2).reshape(1, t, d)
        x = x + a @ w[pre + p + "attn.c_proj.weight"] + w[pre + p + "attn.c_proj.bias"]
        h = ln(x, p + "ln_2")
        h = act(h @ w[pre + p + "mlp.c_fc.weight"] + w[pre + p + "mlp.c_fc.bias"])
        x = x + h @ w[pre + p + "mlp.c_proj.weight"] + w[pre + p + "mlp.c_proj.bias"]
    x = ln(x, "ln_f")
    head = w[pre + "wte.weight"] if c.get("tie_word_embeddings", True) else w["lm_head.weight"]
    return (x @ head.T)[0]


def gpt2_weights(c, gen, prefix):
    d, v, n = c["n_embd"], c["vocab_size"], c["n_positions"]
    m = c.get("n_inner") or 4 * d
    r = lambda *s: torch.randn(*s, generator=gen) * 0.3
    w = {"wte.weight": r(v, d), "wpe.weight": r(n, d)}
    for i in range(c["n_layer"]):
        p = "h.%d." % i
        w[p + "ln_1.weight"], w[p + "ln_1.bias"] = 1 + r(d), r(d)
        w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"] = r(d, 3 * d), r(3 * d)
        w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"] = r(d, d), r(d)
        w[p + "ln_2.weight"], w[p + "ln_2.bias"] = 1 + r(d), r(d)
        w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"] = r(d, m), r(m)
        w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"] = r(m, d), r(d)
    w["ln_f.weight"], w["ln_f.bias"] = 1 + r(d), r(d)
    return {prefix + k: t for k, t in w.items()}


def forward(c, w, ids):
    return gpt2_forward(c, w, ids) if c["model_type"] == "gpt2" else llama_forward(c, w, ids)


def greedy(c, w, ids, eos):
    ids, out = list(ids), []
    for _ in range(NEW_TOKENS):
        nxt = int(forward(c, w, ids)[-1].argmax())
        out.append(nxt)
        ids.append(nxt)
        if nxt in eos:
            break
    return out


# ---------------------------------------------------------------- the fixtures

V = len(VOCAB)
LLAMA = dict(model_type="llama", architectures=["LlamaForCausalLM"], vocab_size=V, hidden_size=16,
             intermediate_size=32, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
             max_position_embeddings=64, rms_norm_eps=1e-6, rope_theta=10000.0, hidden_act="silu",
             tie_word_embeddings=False, bos_token_id=1, eos_token_id=2, torch_dtype="float32")
FIXTURES = {
    # GQA with 2 kv heads, llama3 rope scaling (head_dim 16: high, medium and low frequencies), untied head, F32, Llama-3 style eos list
    "llama3-f32": dict(LLAMA, head_dim=16, eos_token_id=[2, 3],
                       rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0,
                                         high_freq_factor=4.0, original_max_position_embeddings=32)),
    # linear rope scaling, tied head, sharded, F16, head_dim given
    "llama-linear-f16": dict(LLAMA, num_key_value_heads=4, head_dim=8, tie_word_embeddings=True,
                             rope_scaling=dict(type="linear", factor=2.0), torch_dtype="float16"),
    # one kv head, no eos at all (generates exactly the tokens asked)
    "mistral-bf16": dict(LLAMA, model_type="mistral", architectures=["MistralForCausalLM"],
                         num_key_value_heads=1, sliding_window=None, eos_token_id=None,
                         torch_dtype="bfloat16"),
    # q/k/v biases, tied head, one kv head
    "qwen2-f16": dict(LLAMA, model_type="qwen2", architectures=["Qwen2ForCausalLM"], num_key_value_heads=1,
                      tie_word_embeddings=True, rope_theta=1000000.0, use_sliding_window=False,
                      sliding_window=4096, torch_dtype="float16", bos_token_id=None),
    # per-head q/k RMSNorm, head_dim larger than hidden/heads
    "qwen3-bf16": dict(LLAMA, model_type="qwen3", architectures=["Qwen3ForCausalLM"], head_dim=16,
                       num_key_value_heads=2, attention_bias=False, torch_dtype="bfloat16", bos_token_id=None),
    # GPT-2 with the fine-tuned checkpoints' transformer. prefix
    "gpt2-f32": dict(model_type="gpt2", architectures=["GPT2LMHeadModel"], vocab_size=V, n_embd=16, n_layer=2,
                     n_head=4, n_positions=32, n_inner=None, activation_function="gelu_new",
                     layer_norm_epsilon=1e-5, bos_token_id=2, eos_token_id=2, torch_dtype="float32"),
    # GPT-2 with the official checkpoints' bare names, BF16
    "gpt2-bf16": dict(model_type="gpt2", architectures=["GPT2LMHeadModel"], vocab_size=V, n_embd=16, n_layer=2,
                      n_head=4, n_positions=32, n_inner=24, activation_function="gelu_new",
                      layer_norm_epsilon=1e-5, bos_token_id=2, eos_token_id=2, torch_dtype="bfloat16"),
}


def write_fixture(name, c, seed):
    d = name
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    gen = torch.Generator().manual_seed(seed)
    dtype = DTYPES[name.split("-")[-1].upper()]
    if c["model_type"] == "gpt2":
        w = gpt2_weights(c, gen, "transformer." if name == "gpt2-f32" else "")
    else:
        w = llama_weights(c, gen)
    w = {k: t.to(dtype).float() for k, t in w.items()}  # the values the checkpoint really holds
    config = {k: v for k, v in c.items() if v is not None or k in ("sliding_window", "eos_token_id")}
    json.dump(config, open(os.path.join(d, "config.json"), "w"), indent=2)
    if name == "llama-linear-f16":
        names = list(w)
        half = len(names) // 2
        shards = {"model-00001-of-00002.safetensors": names[:half], "model-00002-of-00002.safetensors": names[half:]}
        for f, ns in shards.items():
            write_safetensors(os.path.join(d, f), {n: w[n] for n in ns}, dtype)
        json.dump({"metadata": {}, "weight_map": {n: f for f, ns in shards.items() for n in ns}},
                  open(os.path.join(d, "model.safetensors.index.json"), "w"), indent=2)
    else:
        write_safetensors(os.path.join(d, "model.safetensors"), w, dtype)
    bos_template = c["model_type"] in ("llama", "mistral")
    json.dump(tokenizer_json(bos_template), open(os.path.join(d, "tokenizer.json"), "w"))
    tc = {"add_bos_token": bos_template, "bos_token": "<s>" if bos_template else None,
          "eos_token": None if c.get("eos_token_id") is None else "</s>",
          "pad_token": "<pad>" if c["model_type"] != "gpt2" else None,
          "model_max_length": 64, "tokenizer_class": "PreTrainedTokenizerFast",
          "chat_template": "{% for m in messages %}{{ m['role'] }} : {{ m['content'] }} {% endfor %}"
                           "{% if add_generation_prompt %}assistant :{% endif %}"}
    json.dump({k: v for k, v in tc.items() if v is not None}, open(os.path.join(d, "tokenizer_config.json"), "w"),
              indent=2)
    eos = c.get("eos_token_id")
    if eos is not None:
        json.dump({"bos_token_id": c.get("bos_token_id"), "eos_token_id": eos},
                  open(os.path.join(d, "generation_config.json"), "w"), indent=2)
    eos_ids = [] if eos is None else (eos if isinstance(eos, list) else [eos])
    return golden(c, w, bos_template, eos_ids)


def golden(c, w, bos_template, eos_ids):
    out = {"eos": eos_ids, "prompts": []}
    with torch.no_grad():
        for text in PROMPTS:
            ids = encode(text, bos_template)
            logits = forward(c, w, ids)
            out["prompts"].append({"text": text, "ids": ids, "logits": [float("%.7g" % x) for x in logits.flatten().tolist()],
                                   "greedy": greedy(c, w, ids, set(eos_ids)),
                                   "greedy_no_eos": greedy(c, w, ids, set())})
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    os.chdir(here)
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        d = sys.argv[2]
        c = json.load(open(os.path.join(d, "config.json")))
        w = read_weights(d)
        # The prompt ids are what the exported tokenizer.json's post-processor makes: a leading special or not.
        post = json.load(open(os.path.join(d, "tokenizer.json"))).get("post_processor")
        lead = [e["ids"][0] for e in post["special_tokens"].values()] if post else []
        out = []
        with torch.no_grad():
            for t in PROMPTS:
                ids = lead + encode(t, False)
                out.append({"text": t, "ids": ids, "logits": [float("%.7g" % x) for x in forward(c, w, ids).flatten()],
                            "greedy_no_eos": greedy(c, w, ids, set())})
        print(json.dumps(out))
        return
    goldens = {}
    for seed, (name, c) in enumerate(FIXTURES.items()):
        g = write_fixture(name, c, 100 + seed)
        # the reference reads what it wrote, with HF's names, and must agree with itself
        again = golden(c, read_weights(name), c["model_type"] in ("llama", "mistral"), g["eos"])
        assert again == g, name
        goldens[name] = g
    with open("golden.json", "w") as f:
        json.dump(goldens, f)


if __name__ == "__main__":
    main()
