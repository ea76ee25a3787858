"""The package layout is the architecture: imports only point down the data flow, never up."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"

# Lower layers know nothing of higher ones; a module may import its own layer and those below.
LAYERS: list[set[str]] = [
    {"errors", "models", "prompts", "config"},   # shared types, settings and templates
    {"text"},                                    # text analysis: tokens, sentences, values, dates
    {"ingest"},                                  # article files → index
    {"answering"},                               # question → evidence → claims → Answer
    {"render"},                                  # Answer → terminal text, shared labels
    {"telegram", "evaluation"},                  # front ends over the engine
    {"cli", "__main__"},                         # the command line over everything
]


def _layer(name: str) -> int:
    top = name.split(".")[0]
    for i, members in enumerate(LAYERS):
        if top in members:
            return i
    raise AssertionError(f"bot.{name} is in no layer of {__file__}: add it to LAYERS")


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot."):
            found.add(node.module[4:])
        elif isinstance(node, ast.ImportFrom) and node.module == "bot":
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name[4:] for a in node.names if a.name.startswith("bot."))
    return found


def test_every_import_points_down_the_layers() -> None:
    wrong = []
    for path in sorted(BOT.rglob("*.py")):
        rel = path.relative_to(BOT).with_suffix("")
        if rel.parts[-1] == "__init__":
            continue
        me = _layer(".".join(rel.parts))
        for target in _imports(path):
            if _layer(target) > me:
                wrong.append(f"bot/{rel}.py imports bot.{target}")
    assert not wrong, "imports pointing up:\n" + "\n".join(wrong)


def test_the_core_does_not_know_telegram() -> None:
    core = [p for d in ("text", "ingest", "answering") for p in (BOT / d).rglob("*.py")] + [BOT / "render.py"]
    assert core and not [p for p in core if any(t.startswith("telegram") for t in _imports(p))]
