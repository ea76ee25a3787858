"""Thresholds of the answer-quality metrics (tests/eval/thresholds.yaml): reading, checking, comparing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import CrosscheckError
from bot.evaluation.metrics import METRICS


class ThresholdsError(CrosscheckError):
    """The thresholds file cannot be used."""


@dataclass(frozen=True)
class Thresholds:
    """Lowest acceptable value of each `min` metric, highest of each `max` metric."""

    path: str
    min: dict[str, float]
    max: dict[str, float]

    def limit(self, metric: str) -> tuple[str, float] | None:
        """("min"|"max", limit) for a metric, or None when it has no threshold."""
        if metric in self.min:
            return "min", self.min[metric]
        if metric in self.max:
            return "max", self.max[metric]
        return None


@dataclass(frozen=True)
class Violation:
    """A metric on the wrong side of its threshold."""

    metric: str
    value: float
    kind: str  # "min" or "max"
    limit: float


def parse_thresholds(data: Any, path: str) -> Thresholds:
    """Check a thresholds mapping {min: {metric: x}, max: {metric: x}}; ValueError naming what is wrong."""
    if not isinstance(data, dict) or set(data) - {"min", "max"}:
        raise ValueError(f"{path}: expected a mapping with 'min' and/or 'max'")
    parts: dict[str, dict[str, float]] = {}
    for kind in ("min", "max"):
        section = data.get(kind) or {}
        if not isinstance(section, dict):
            raise ValueError(f"{path}: '{kind}' must map metric names to numbers")
        for name, value in section.items():
            if name not in METRICS:
                raise ValueError(f"{path}: unknown metric {name!r}; known: {', '.join(METRICS)}")
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{path}: {kind}.{name} must be a number, got {value!r}")
        parts[kind] = {k: float(v) for k, v in section.items()}
    both = set(parts["min"]) & set(parts["max"])
    if both:
        raise ValueError(f"{path}: {sorted(both)} appear under both 'min' and 'max'")
    return Thresholds(path=path, min=parts["min"], max=parts["max"])


def violations(metrics: dict[str, float | None], thresholds: Thresholds) -> list[Violation]:
    """Metrics below their minimum or above their maximum (unmeasured metrics are not violations)."""
    out = []
    for name, limit in thresholds.min.items():
        value = metrics.get(name)
        if value is not None and value < limit:
            out.append(Violation(name, value, "min", limit))
    for name, limit in thresholds.max.items():
        value = metrics.get(name)
        if value is not None and value > limit:
            out.append(Violation(name, value, "max", limit))
    return out


def load_thresholds(path: Path, root: Path | None = None) -> Thresholds:
    """Read and check a thresholds file (named relative to `root` in messages when inside it)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ThresholdsError(f"thresholds file {path} does not exist") from None
    except (OSError, yaml.YAMLError) as exc:
        raise ThresholdsError(f"thresholds file {path} cannot be read: {exc}") from None
    shown = str(path)
    if root is not None and path.resolve().is_relative_to(root.resolve()):
        shown = path.resolve().relative_to(root.resolve()).as_posix()
    try:
        return parse_thresholds(data, shown)
    except ValueError as exc:
        raise ThresholdsError(str(exc)) from None
