"""Writes tiny.safetensors (F32, F16 and BF16 tensors, with metadata) and tiny.json (their values as
floats), following the safetensors format as its specification describes it, independently of gold's
Java reader: an 8-byte little-endian header length, a JSON header, then the raw little-endian bytes.

Run from this directory with Debian's python3-torch:  /usr/bin/python3 make_safetensors.py
"""
import json
import struct

import torch

torch.manual_seed(7)
tensors = {
    "a.weight": torch.randn(3, 4).to(torch.float32),
    "b.half": (torch.randn(2, 5) * 3).to(torch.float16),
    "c.bf16": (torch.randn(4) * 100).to(torch.bfloat16),
    "d.scalar_row": torch.tensor([[65504.0, -0.0, 6.1e-5, 1e-7]]).to(torch.float16),  # max, -0, smallest normal, subnormal
}
names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}

header = {"__metadata__": {"format": "pt", "made_by": "make_safetensors.py"}}
blobs = []
offset = 0
for name, t in tensors.items():
    raw = t.contiguous().view(torch.int16 if t.element_size() == 2 else torch.int32).numpy().tobytes()
    header[name] = {"dtype": names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)

text = json.dumps(header).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
with open("tiny.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for raw in blobs:
        f.write(raw)

# "as": each tensor's values stored as each dtype, rounded by PyTorch (what a writer must produce).
expected = {name: {"dtype": names[t.dtype], "shape": list(t.shape), "values": t.float().flatten().tolist(),
                   "as": {names[d]: t.float().to(d).float().flatten().tolist() for d in names}}
            for name, t in tensors.items()}
with open("tiny.json", "w") as f:
    json.dump(expected, f, indent=1)
