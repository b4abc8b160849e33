"""Float32 tensors read straight from a .safetensors file with numpy (no torch, no package)."""

# The format: an 8-byte little-endian header length, a JSON header naming each tensor's
# dtype, shape and byte range, then the raw bytes.

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

Float32Array = npt.NDArray[np.float32]


def read_tensors(path: Path, names: Iterable[str] | None = None) -> dict[str, Float32Array]:
    """The named F32 tensors (without `names`, every F32 one: BERT files also hold integer
    buffers such as position ids), each a fresh array."""
    with path.open("rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
        every = [n for n, e in header.items() if n != "__metadata__" and e["dtype"] == "F32"]
        wanted = every if names is None else list(names)
        out: dict[str, Float32Array] = {}
        for name in wanted:
            entry = header.get(name)
            if entry is None:
                raise ValueError(f"{path}: no tensor {name}")
            if entry["dtype"] != "F32":
                raise ValueError(f"{path}: {name} is {entry['dtype']}, not F32")
            start, end = entry["data_offsets"]
            handle.seek(8 + size + start)
            data = handle.read(end - start)
            out[name] = np.frombuffer(data, dtype="<f4").reshape(entry["shape"]).astype(np.float32)
    return out
