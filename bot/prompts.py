"""User-visible sentence templates and LLM prompts, loaded from prompts/*.yaml and checked at start-up.

Each file prompts/<area>.yaml maps a key to {vars: [names], text: "template with {names}"}.
Templates are addressed as "<area>.<key>". Loading fails loudly when a template uses a placeholder
it does not declare, declares one it never uses, or is not valid str.format syntax, so a broken
prompt is caught when the program starts rather than in front of a user.
"""

from __future__ import annotations

import os
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.errors import ConfigError


def prompts_dir() -> Path:
    """Where the templates are: BOT_PROMPTS_DIR, else the checkout's prompts/, else the installed copy.

    A wheel has no checkout around it: pyproject maps the top-level prompts/ into the package as
    bot/_prompts, so `pip install .` carries the same files.
    """
    if configured := os.environ.get("BOT_PROMPTS_DIR"):
        return Path(configured)
    checkout = Path(__file__).resolve().parent.parent / "prompts"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "_prompts"


PROMPTS_DIR = prompts_dir()


@dataclass(frozen=True)
class Template:
    """One checked template."""

    key: str
    vars: frozenset[str]
    text: str

    def render(self, **values: object) -> str:
        """Fill the template; every declared var must be given, nothing else."""
        given = set(values)
        if given != self.vars:
            raise ConfigError(
                f"template {self.key!r} needs {sorted(self.vars)}, got {sorted(given)}"
            )
        return self.text.format(**values)


def _placeholders(text: str, key: str) -> set[str]:
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        raise ConfigError(f"template {key!r}: {exc}") from exc
    names = set()
    for f in fields:
        if not f or not f.isidentifier():
            raise ConfigError(f"template {key!r}: placeholders must be plain names, got {{{f}}}")
        names.add(f)
    return names


class Prompts:
    """All templates of a prompts directory."""

    def __init__(self, templates: dict[str, Template]) -> None:
        self._templates = templates

    @classmethod
    def load(cls, directory: Path | None = None) -> "Prompts":
        """Read and check every prompts/*.yaml file."""
        directory = directory or PROMPTS_DIR
        templates: dict[str, Template] = {}
        files = sorted(directory.glob("*.yaml"))
        if not files:
            raise ConfigError(f"no prompt files in {directory}")
        for path in files:
            area = path.stem
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            except yaml.YAMLError as exc:
                raise ConfigError(f"{path.name}: not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise ConfigError(f"{path.name}: expected a mapping of keys to templates")
            for key, spec in data.items():
                full = f"{area}.{key}"
                if not isinstance(spec, dict) or not isinstance(spec.get("text"), str):
                    raise ConfigError(f"{path.name}: {key} needs a 'text' string")
                declared = set(spec.get("vars") or [])
                used = _placeholders(spec["text"], full)
                if used != declared:
                    raise ConfigError(
                        f"{path.name}: {key} declares {sorted(declared)} but uses {sorted(used)}"
                    )
                templates[full] = Template(full, frozenset(declared), spec["text"])
        return cls(templates)

    def __contains__(self, key: str) -> bool:
        return key in self._templates

    def keys(self) -> list[str]:
        """All template keys."""
        return sorted(self._templates)

    def get(self, key: str) -> Template:
        """The template for a key, or a ConfigError naming it."""
        try:
            return self._templates[key]
        except KeyError:
            raise ConfigError(f"missing prompt template {key!r} in {PROMPTS_DIR}") from None

    def render(self, key: str, **values: object) -> str:
        """Render a template by key."""
        return self.get(key).render(**values)

    def require(self, keys: dict[str, set[str]]) -> None:
        """Check at start-up that the given keys exist with exactly these vars."""
        for key, names in keys.items():
            t = self.get(key)
            if set(names) != set(t.vars):
                raise ConfigError(f"template {key!r} must take {sorted(names)}, has {sorted(t.vars)}")


@lru_cache(maxsize=1)
def prompts() -> Prompts:
    """The project's prompts, loaded once per process."""
    return Prompts.load()
