"""Writes two tiny random BERT checkpoints and the reference outputs of a padded batch, following the
conventions of Hugging Face's modeling_bert.py (BertEmbeddings, BertSelfAttention, BertSelfOutput,
BertIntermediate, BertOutput) and sentence-transformers' Pooling, independently of gold's Java:

  f32/  model.safetensors in F32, tensor names as BertModel saves them, mean pooling in 1_Pooling
  f16/  model.safetensors in F16, names as BertForSequenceClassification saves them ("bert." prefix,
        a pooler, a classifier head, the position_ids buffer as I64), CLS pooling in 1_Pooling
  roberta/ model.safetensors in F32, names as RobertaForSequenceClassification saves them ("roberta."
        prefix), model_type roberta: pad id 1, one token type, positions from create_position_ids_from_input_ids
  golden.json  for each: last_hidden_state (B, T, D) and the mean- and CLS-pooled (B, D) embeddings

The F16 reference runs in fp32 on the weights rounded to fp16 (what a loader widening fp16 does).
Run from this directory with Debian's python3-torch:  /usr/bin/python3 make_bert.py
"""
import json
import math
import os
import struct

import torch

CONFIG = {
    "architectures": ["BertModel"], "model_type": "bert", "vocab_size": 40, "hidden_size": 16,
    "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 24, "hidden_act": "gelu",
    "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1, "max_position_embeddings": 20,
    "type_vocab_size": 2, "layer_norm_eps": 1e-12, "pad_token_id": 0,
    "position_embedding_type": "absolute", "torch_dtype": "float32",
}
D = CONFIG["hidden_size"]
H = CONFIG["num_attention_heads"]
I = CONFIG["intermediate_size"]
L = CONFIG["num_hidden_layers"]


def random_weights(seed, config=CONFIG):
    g = torch.Generator().manual_seed(seed)

    def rnd(*shape, scale=0.3):
        return torch.randn(*shape, generator=g) * scale

    w = {
        "embeddings.word_embeddings.weight": rnd(config["vocab_size"], D, scale=1.0),
        "embeddings.position_embeddings.weight": rnd(config["max_position_embeddings"], D, scale=0.5),
        "embeddings.token_type_embeddings.weight": rnd(config["type_vocab_size"], D, scale=0.5),
        "embeddings.LayerNorm.weight": 1 + rnd(D, scale=0.1),
        "embeddings.LayerNorm.bias": rnd(D, scale=0.1),
    }
    for i in range(L):
        p = f"encoder.layer.{i}."
        for part in ("query", "key", "value"):
            w[p + f"attention.self.{part}.weight"] = rnd(D, D)
            w[p + f"attention.self.{part}.bias"] = rnd(D, scale=0.1)
        w[p + "attention.output.dense.weight"] = rnd(D, D)
        w[p + "attention.output.dense.bias"] = rnd(D, scale=0.1)
        w[p + "attention.output.LayerNorm.weight"] = 1 + rnd(D, scale=0.1)
        w[p + "attention.output.LayerNorm.bias"] = rnd(D, scale=0.1)
        w[p + "intermediate.dense.weight"] = rnd(I, D)
        w[p + "intermediate.dense.bias"] = rnd(I, scale=0.1)
        w[p + "output.dense.weight"] = rnd(D, I)
        w[p + "output.dense.bias"] = rnd(D, scale=0.1)
        w[p + "output.LayerNorm.weight"] = 1 + rnd(D, scale=0.1)
        w[p + "output.LayerNorm.bias"] = rnd(D, scale=0.1)
    return w


def layer_norm(x, weight, bias, eps=CONFIG["layer_norm_eps"]):
    return torch.nn.functional.layer_norm(x, (D,), weight, bias, eps)


def linear(x, w, name):
    return torch.nn.functional.linear(x, w[name + ".weight"], w[name + ".bias"])


def create_position_ids_from_input_ids(input_ids, padding_idx):
    """modeling_roberta.py: real tokens count from padding_idx + 1; padding keeps padding_idx."""
    mask = input_ids.ne(padding_idx).int()
    return (torch.cumsum(mask, dim=1).type_as(mask) * mask).long() + padding_idx


def bert(w, input_ids, token_type_ids, attention_mask, position_ids=None, eps=CONFIG["layer_norm_eps"]):
    """BertModel.forward in eval mode (no dropout), absolute positions, the extended additive mask."""
    b, t = input_ids.shape
    if position_ids is None:
        position_ids = torch.arange(t).unsqueeze(0).expand(b, t)
    x = (w["embeddings.word_embeddings.weight"][input_ids]
         + w["embeddings.token_type_embeddings.weight"][token_type_ids]
         + w["embeddings.position_embeddings.weight"][position_ids])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
    extended = (1.0 - attention_mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    hd = D // H
    for i in range(L):
        p = f"encoder.layer.{i}."

        def heads(y):
            return y.view(b, t, H, hd).permute(0, 2, 1, 3)

        q = heads(linear(x, w, p + "attention.self.query"))
        k = heads(linear(x, w, p + "attention.self.key"))
        v = heads(linear(x, w, p + "attention.self.value"))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(hd) + extended
        probs = torch.softmax(scores, dim=-1)
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).reshape(b, t, D)
        attn = layer_norm(linear(context, w, p + "attention.output.dense") + x,
                          w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
        inter = torch.nn.functional.gelu(linear(attn, w, p + "intermediate.dense"))  # erf GELU, HF's "gelu"
        x = layer_norm(linear(inter, w, p + "output.dense") + attn,
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
    return x


def mean_pool(h, mask):
    """sentence-transformers' Pooling with pooling_mode_mean_tokens."""
    m = mask.unsqueeze(-1).float()
    return (h * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def write_safetensors(path, tensors):
    names = {torch.float32: "F32", torch.float16: "F16", torch.int64: "I64"}
    header = {"__metadata__": {"format": "pt"}}
    blobs, offset = [], 0
    for name, t in tensors.items():
        raw = t.contiguous().numpy().tobytes() if t.dtype != torch.float16 else \
            t.contiguous().view(torch.int16).numpy().tobytes()
        header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def write_dir(name, tensors, config, pooling):
    os.makedirs(os.path.join(name, "1_Pooling"), exist_ok=True)
    write_safetensors(os.path.join(name, "model.safetensors"), tensors)
    with open(os.path.join(name, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(name, "1_Pooling", "config.json"), "w") as f:
        json.dump({"word_embedding_dimension": D, "pooling_mode_cls_token": pooling == "cls",
                   "pooling_mode_mean_tokens": pooling == "mean", "pooling_mode_max_tokens": False,
                   "pooling_mode_mean_sqrt_len_tokens": False}, f, indent=2)


# A padded batch: row 0 full, rows 1 and 2 padded at the end; token types 0 then 1 after a [SEP].
input_ids = torch.tensor([[2, 7, 11, 5, 19, 23, 3, 31, 8, 3],
                          [2, 13, 4, 3, 0, 0, 0, 0, 0, 0],
                          [2, 9, 39, 17, 3, 6, 3, 0, 0, 0]])
token_type_ids = torch.tensor([[0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
                               [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                               [0, 0, 0, 0, 0, 1, 1, 0, 0, 0]])
attention_mask = (torch.arange(10)[None, :] < torch.tensor([[10], [4], [7]])).long()

torch.manual_seed(0)  # the pooler and classifier tensors of f16/ (not read by the encoder)
golden = {"input_ids": input_ids.tolist(), "token_type_ids": token_type_ids.tolist(),
          "attention_mask": attention_mask.tolist()}
with torch.no_grad():
    w32 = random_weights(1)
    write_dir("f32", w32, CONFIG, "mean")
    w16 = {k: v.to(torch.float16) for k, v in random_weights(2).items()}
    saved = {"bert." + k: v for k, v in w16.items()}
    saved["bert.embeddings.position_ids"] = torch.arange(CONFIG["max_position_embeddings"]).unsqueeze(0)
    saved["bert.pooler.dense.weight"] = torch.randn(D, D).to(torch.float16)
    saved["bert.pooler.dense.bias"] = torch.zeros(D).to(torch.float16)
    saved["classifier.weight"] = torch.randn(2, D).to(torch.float16)
    saved["classifier.bias"] = torch.zeros(2).to(torch.float16)
    write_dir("f16", saved, dict(CONFIG, architectures=["BertForSequenceClassification"], torch_dtype="float16"),
              "cls")
    for name, w in (("f32", w32), ("f16", {k: v.float() for k, v in w16.items()})):
        h = bert(w, input_ids, token_type_ids, attention_mask)
        golden[name] = {"last_hidden_state": h.tolist(), "mean": mean_pool(h, attention_mask).tolist(),
                        "cls": h[:, 0].tolist()}
    # RoBERTa: pad id 1 (the padded rows hold 1s), one token type, its own positions and epsilon.
    rconfig = dict(CONFIG, architectures=["RobertaForSequenceClassification"], model_type="roberta", pad_token_id=1,
                   type_vocab_size=1, max_position_embeddings=20, layer_norm_eps=1e-5)
    wr = random_weights(3, rconfig)
    write_dir("roberta", {"roberta." + k: v for k, v in wr.items()}, rconfig, "mean")
    r_ids = torch.where(attention_mask.bool(), input_ids, torch.ones_like(input_ids))
    r_ids[r_ids == 0] = 5                                            # no real token is the pad id
    h = bert(wr, r_ids, torch.zeros_like(r_ids), attention_mask, create_position_ids_from_input_ids(r_ids, 1), 1e-5)
    golden["roberta"] = {"input_ids": r_ids.tolist(), "last_hidden_state": h.tolist(),
                         "mean": mean_pool(h, attention_mask).tolist(), "cls": h[:, 0].tolist()}
with open("golden.json", "w") as f:
    json.dump(golden, f)
