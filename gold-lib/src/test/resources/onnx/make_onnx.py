"""Exports a tiny random BERT to ONNX the way sentence encoders are exported (torch.onnx.export, opset 11,
constant folding: each Linear becomes a MatMul on an anonymous, transposed onnx::MatMul_N initializer
followed by an Add of the named bias), and writes the reference last_hidden_state of a padded batch.
The module mirrors the attribute names of Hugging Face's BertModel (embeddings.word_embeddings,
encoder.layer.N.attention.self.query, ...), so the initializers carry BERT's names as in the real export.

Run from this directory with Debian's python3-torch:  /usr/bin/python3 make_onnx.py
"""
import json
import math

import torch
from torch import nn

V, D, H, I, L, P = 30, 12, 3, 20, 2, 16   # vocab, hidden, heads, intermediate (not D: catches transposes)
EPS = 1e-12


class Embeddings(nn.Module):
    def __init__(self):
        super().__init__()
        self.word_embeddings = nn.Embedding(V, D)
        self.position_embeddings = nn.Embedding(P, D)
        self.token_type_embeddings = nn.Embedding(2, D)
        self.LayerNorm = nn.LayerNorm(D, eps=EPS)
        self.register_buffer("position_ids", torch.arange(P).unsqueeze(0))

    def forward(self, input_ids, token_type_ids):
        t = input_ids.shape[1]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(self.position_ids[:, :t])
        return self.LayerNorm(x)


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query, self.key, self.value = nn.Linear(D, D), nn.Linear(D, D), nn.Linear(D, D)

    def heads(self, y):
        return y.view(y.shape[0], y.shape[1], H, D // H).permute(0, 2, 1, 3)

    def forward(self, x, mask):
        q, k, v = self.heads(self.query(x)), self.heads(self.key(x)), self.heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(D // H) + mask
        context = torch.matmul(torch.softmax(scores, dim=-1), v).permute(0, 2, 1, 3)
        return context.reshape(x.shape[0], x.shape[1], D)


class Output(nn.Module):
    def __init__(self, width):
        super().__init__()
        self.dense = nn.Linear(width, D)
        self.LayerNorm = nn.LayerNorm(D, eps=EPS)

    def forward(self, y, residual):
        return self.LayerNorm(self.dense(y) + residual)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        setattr(self, "self", SelfAttention())
        self.output = Output(D)

    def forward(self, x, mask):
        return self.output(getattr(self, "self")(x, mask), x)


class Intermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(D, I)

    def forward(self, x):
        return torch.nn.functional.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention, self.intermediate, self.output = Attention(), Intermediate(), Output(I)

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer = nn.ModuleList([Layer() for _ in range(L)])


class Bert(nn.Module):
    def __init__(self):
        super().__init__()
        self.embeddings, self.encoder = Embeddings(), Encoder()

    def forward(self, input_ids, attention_mask, token_type_ids):
        mask = (1.0 - attention_mask[:, None, None, :].float()) * -10000.0
        x = self.embeddings(input_ids, token_type_ids)
        for layer in self.encoder.layer:
            x = layer(x, mask)
        return x


torch.manual_seed(3)
model = Bert().eval()
with torch.no_grad():
    for name, p in model.named_parameters():   # LayerNorms and biases away from 1 and 0, so a mix-up shows
        p.add_(torch.randn_like(p) * 0.2)
input_ids = torch.tensor([[2, 7, 11, 5, 19, 23, 3, 8], [2, 13, 4, 3, 0, 0, 0, 0]])
token_type_ids = torch.tensor([[0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]])
attention_mask = torch.tensor([[1] * 8, [1, 1, 1, 1, 0, 0, 0, 0]])
torch.onnx.export(model, (input_ids, attention_mask, token_type_ids), "tiny-bert.onnx", opset_version=11,
                  do_constant_folding=True, input_names=["input_ids", "attention_mask", "token_type_ids"],
                  output_names=["last_hidden_state"],
                  dynamic_axes={n: {0: "batch", 1: "sequence"} for n in
                                ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]})
with torch.no_grad():
    hidden = model(input_ids, attention_mask, token_type_ids)
with open("tiny-bert.json", "w") as f:
    json.dump({"input_ids": input_ids.tolist(), "token_type_ids": token_type_ids.tolist(),
               "attention_mask": attention_mask.tolist(), "heads": H, "last_hidden_state": hidden.tolist()}, f)
