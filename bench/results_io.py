"""Where benchmark results go: one JSON file per benchmark under bench/results/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def save_results(results: dict[str, Any], out: Path) -> None:
    """Write the results as indented JSON and say where."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
