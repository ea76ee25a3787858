"""What the answer path needs about the whole corpus, computed once at refresh, not per question.

The manifest holds every article's metadata (for /sources and citations), the opening sentences
of each article (whose names and years mark the corpus's main event), and the corpus vocabulary
with document frequencies (to tell an off-subject question from one the articles might answer).
"""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.models import Article, ArticleMeta
from bot.text.tokens import content_stems

LEAD_SENTENCES = 3


def build_manifest(articles: list[Article], parser: Any) -> dict[str, Any]:
    """Metadata, leads and vocabulary of the corpus as it was indexed."""
    from bot.ingest.nodes import article_document

    df: Counter[str] = Counter()
    metas, leads = [], []
    for article in articles:
        sents = parser.sentences(article_document(article))
        metas.append(asdict(article.meta))
        leads.append(" ".join(s.text for s in sents[:LEAD_SENTENCES]))
        df.update(set(content_stems(article.meta.title + " " + article.body)))
    return {"articles": metas, "leads": leads, "df": dict(df), "n_articles": len(articles)}


def write_manifest(gen_dir: Path, manifest: dict[str, Any]) -> None:
    """Write the manifest next to the generation's docstore."""
    path = gen_dir / "manifest.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(gen_dir: Path) -> dict[str, Any]:
    """Read a generation's manifest."""
    return json.loads((gen_dir / "manifest.json").read_text(encoding="utf-8"))


def article_metas(manifest: dict[str, Any]) -> list[ArticleMeta]:
    """The indexed articles, newest first."""
    metas = [ArticleMeta(**m) for m in manifest["articles"]]
    return sorted(metas, key=lambda m: (m.published or "", m.source), reverse=True)
