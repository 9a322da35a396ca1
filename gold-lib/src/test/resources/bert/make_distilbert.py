"""Writes a tiny random DistilBERT checkpoint and the reference outputs of a padded batch, following the
conventions of Hugging Face's modeling_distilbert.py (Embeddings, MultiHeadSelfAttention, FFN,
TransformerBlock) and sentence-transformers' Pooling, independently of gold's Java:

  distilbert/  model.safetensors in F32, names as DistilBertForSequenceClassification saves them
               ("distilbert." prefix, transformer.layer.N.attention.q_lin ..., sa_layer_norm, ffn.lin1/lin2,
               output_layer_norm; pre_classifier and classifier heads), no token type embedding,
               model_type distilbert with its own config keys (dim, n_layers, n_heads, hidden_dim), mean pooling
  distilbert_golden.json  last_hidden_state (B, T, D) and the mean- and CLS-pooled (B, D) embeddings

Run from this directory with Debian's python3-torch:  /usr/bin/python3 make_distilbert.py
"""
import json
import math
import os
import struct

import torch

CONFIG = {
    "architectures": ["DistilBertForSequenceClassification"], "model_type": "distilbert", "vocab_size": 40,
    "dim": 16, "n_layers": 2, "n_heads": 4, "hidden_dim": 24, "activation": "gelu", "dropout": 0.1,
    "attention_dropout": 0.1, "max_position_embeddings": 20, "sinusoidal_pos_embds": False, "pad_token_id": 0,
    "qa_dropout": 0.1, "seq_classif_dropout": 0.2, "torch_dtype": "float32",
}
D = CONFIG["dim"]
H = CONFIG["n_heads"]
I = CONFIG["hidden_dim"]
L = CONFIG["n_layers"]
EPS = 1e-12  # modeling_distilbert.py: nn.LayerNorm(dim, eps=1e-12) everywhere


def random_weights(seed):
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape, scale=0.3):
        return torch.randn(*shape, generator=g) * scale

    w = {
        "embeddings.word_embeddings.weight": rnd(CONFIG["vocab_size"], D, scale=1.0),
        "embeddings.position_embeddings.weight": rnd(CONFIG["max_position_embeddings"], D, scale=0.5),
        "embeddings.LayerNorm.weight": 1 + rnd(D, scale=0.1),
        "embeddings.LayerNorm.bias": rnd(D, scale=0.1),
    }
    for i in range(L):
        p = f"transformer.layer.{i}."
        for part in ("q_lin", "k_lin", "v_lin", "out_lin"):
            w[p + f"attention.{part}.weight"] = rnd(D, D)
            w[p + f"attention.{part}.bias"] = rnd(D, scale=0.1)
        w[p + "sa_layer_norm.weight"] = 1 + rnd(D, scale=0.1)
        w[p + "sa_layer_norm.bias"] = rnd(D, scale=0.1)
        w[p + "ffn.lin1.weight"] = rnd(I, D)
        w[p + "ffn.lin1.bias"] = rnd(I, scale=0.1)
        w[p + "ffn.lin2.weight"] = rnd(D, I)
        w[p + "ffn.lin2.bias"] = rnd(D, scale=0.1)
        w[p + "output_layer_norm.weight"] = 1 + rnd(D, scale=0.1)
        w[p + "output_layer_norm.bias"] = rnd(D, scale=0.1)
    return w


def layer_norm(x, w, name):
    return torch.nn.functional.layer_norm(x, (D,), w[name + ".weight"], w[name + ".bias"], EPS)


def linear(x, w, name):
    return torch.nn.functional.linear(x, w[name + ".weight"], w[name + ".bias"])


def distilbert(w, input_ids, attention_mask):
    """DistilBertModel.forward in eval mode: word + position embeddings, then TransformerBlocks."""
    b, t = input_ids.shape
    position_ids = torch.arange(t).unsqueeze(0).expand(b, t)
    x = w["embeddings.word_embeddings.weight"][input_ids] + w["embeddings.position_embeddings.weight"][position_ids]
    x = layer_norm(x, w, "embeddings.LayerNorm")
    dh = D // H
    for i in range(L):
        p = f"transformer.layer.{i}."

        def shape(y):
            return y.view(b, -1, H, dh).transpose(1, 2)

        q = shape(linear(x, w, p + "attention.q_lin"))
        k = shape(linear(x, w, p + "attention.k_lin"))
        v = shape(linear(x, w, p + "attention.v_lin"))
        q = q / math.sqrt(dh)                                               # scaled before the product
        scores = torch.matmul(q, k.transpose(2, 3))
        masked = (attention_mask == 0).view(b, 1, 1, t).expand_as(scores)
        scores = scores.masked_fill(masked, torch.finfo(scores.dtype).min)
        weights = torch.softmax(scores, dim=-1)
        context = torch.matmul(weights, v).transpose(1, 2).contiguous().view(b, -1, H * dh)
        sa = layer_norm(linear(context, w, p + "attention.out_lin") + x, w, p + "sa_layer_norm")
        ffn = linear(torch.nn.functional.gelu(linear(sa, w, p + "ffn.lin1")), w, p + "ffn.lin2")  # erf GELU
        x = layer_norm(ffn + sa, w, p + "output_layer_norm")
    return x


def mean_pool(h, mask):
    """sentence-transformers' Pooling with pooling_mode_mean_tokens."""
    m = mask.unsqueeze(-1).float()
    return (h * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def write_safetensors(path, tensors):
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name, t in tensors.items():
        raw = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


input_ids = torch.tensor([[2, 7, 11, 5, 19, 23, 3, 31, 8, 3],
                          [2, 13, 4, 3, 0, 0, 0, 0, 0, 0],
                          [2, 9, 39, 17, 3, 6, 3, 0, 0, 0]])
attention_mask = (torch.arange(10)[None, :] < torch.tensor([[10], [4], [7]])).long()

with torch.no_grad():
    w = random_weights(4)
    g = torch.Generator().manual_seed(5)
    saved = {"distilbert." + k: v for k, v in w.items()}
    saved["pre_classifier.weight"] = torch.randn(D, D, generator=g)
    saved["pre_classifier.bias"] = torch.zeros(D)
    saved["classifier.weight"] = torch.randn(2, D, generator=g)
    saved["classifier.bias"] = torch.zeros(2)
    os.makedirs(os.path.join("distilbert", "1_Pooling"), exist_ok=True)
    write_safetensors(os.path.join("distilbert", "model.safetensors"), saved)
    with open(os.path.join("distilbert", "config.json"), "w") as f:
        json.dump(CONFIG, f, indent=2)
    with open(os.path.join("distilbert", "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": D, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
                   "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)
    h = distilbert(w, input_ids, attention_mask)
    golden = {"input_ids": input_ids.tolist(), "attention_mask": attention_mask.tolist(),
              "last_hidden_state": h.tolist(), "mean": mean_pool(h, attention_mask).tolist(), "cls": h[:, 0].tolist()}
with open("distilbert_golden.json", "w") as f:
    json.dump(golden, f)
