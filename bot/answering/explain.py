"""What may explain a disagreement between values: later reports higher, minimums, approximations, an outlier.

Stated, never judged: each explanation is a template from prompts/claims.yaml, filled with the
values, outlets and publication dates of the claims it is about.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass

from bot.models import Claim
from bot.prompts import Prompts
from bot.text.vocab import ALIAS_CUES


@dataclass
class _Facts:
    """What the explanation may state about a disagreement."""

    floors: int
    approx: int
    rising: list[Claim]
    later_higher: bool
    outlier: Claim | None


def _ranks(values: list[float]) -> list[float]:
    """Ranks from 0, ties sharing the mean of their ranks."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2
        i = j + 1
    return ranks


def _rank_correlation(xs: list[float], ys: list[float]) -> float:
    """Spearman correlation (Pearson on tied ranks); 0 when either side does not vary."""
    rx, ry = _ranks(xs), _ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx = sum((a - mx) ** 2 for a in rx)
    vy = sum((b - my) ** 2 for b in ry)
    return cov / (vx * vy) ** 0.5 if vx and vy else 0.0


def _facts(claims: list[Claim], clusters: list[list[Claim]]) -> _Facts:
    numeric = [c for c in claims if c.kind == "count" and isinstance(c.norm, (int, float))]
    dated = sorted((c for c in numeric if c.evidence.meta.published), key=lambda c: c.evidence.meta.published or "")
    later_higher = False
    outlier = None
    if len(numeric) >= 3:
        med = statistics.median(float(c.norm) for c in numeric)
        far = [c for c in numeric if med and (float(c.norm) < med / 2 or float(c.norm) > med * 2)]
        if len(far) == 1 and len({c.evidence.sentence.source for c in numeric}) >= 3:
            outlier = far[0]
    usable = [c for c in dated if c is not outlier]
    if len({c.evidence.meta.published for c in usable}) >= 3 and len({c.norm for c in usable}) >= 3:
        days = [float(dt.date.fromisoformat(c.evidence.meta.published or "").toordinal()) for c in usable]
        later_higher = _rank_correlation(days, [float(c.norm) for c in usable]) >= 0.7
    return _Facts(
        floors=sum(c.qualifier in ("floor", "rising") for c in claims),
        approx=sum(c.qualifier == "approx" for c in claims),
        rising=[c for c in claims if c.qualifier == "rising"],
        later_higher=later_higher,
        outlier=outlier,
    )


def _outlet(c: Claim) -> str:
    return c.evidence.meta.outlet or c.evidence.meta.title


def _when(published: str) -> str:
    d = dt.date.fromisoformat(published)
    return f"{d.day} {d.strftime('%B %Y')}"


def chronology(p: Prompts, claims: list[Claim]) -> str:
    """Values in order of publication, when the sources were published on three or more dates."""
    firsts: dict[str, Claim] = {}
    for c in claims:
        firsts.setdefault(c.evidence.sentence.source, c)
    dated = sorted((c for c in firsts.values() if c.evidence.meta.published), key=lambda c: c.evidence.meta.published or "")
    if len({c.evidence.meta.published for c in dated}) < 3:
        return ""
    items = "; ".join(
        p.render("claims.chronology_item", value=c.value, outlet=_outlet(c), date=_when(c.evidence.meta.published or ""))
        for c in dated
    )
    return p.render("claims.chronology", items=items)


def _both_named(claims: list[Claim], clusters: list[list[Claim]]) -> tuple[Claim, str] | None:
    """A claim whose own sentence gives another cluster's name as a second name of it ("Orlen, the port
    town that was known as Marsk"): the source itself links the two, which may then be one thing named twice."""
    if not claims or claims[0].kind != "name":
        return None
    for cl in clusters:
        for c in cl:
            text = c.evidence.sentence.text
            for other in clusters:
                if other is cl:
                    continue
                name = other[0].value
                at = text.find(name)
                if at < 0 or c.span[0] <= at < c.span[1]:
                    continue
                between = text[min(c.span[1], at + len(name)):max(c.span[0], at)].lower()
                if any(re.search(rf"\b{re.escape(cue)}\b", between) for cue in ALIAS_CUES):
                    return c, name  # "Orlen, near Varno" names two places; "known as" names one twice
    return None


def explain(p: Prompts, claims: list[Claim], clusters: list[list[Claim]]) -> str:
    f = _facts(claims, clusters)
    parts = []
    both = _both_named(claims, clusters)
    if both is not None:
        c, other = both
        parts.append(p.render("claims.both_named", outlet=_outlet(c), value=c.value, other=other))
    if f.later_higher:
        parts.append(p.render("claims.later_higher"))
    if f.outlier is not None:
        others = len({c.evidence.sentence.source for c in claims} - {f.outlier.evidence.sentence.source})
        parts.append(p.render("claims.outlier", value=f.outlier.value, outlet=_outlet(f.outlier), count=others))
    if f.floors:
        parts.append(p.render("claims.floors"))
    for c in f.rising:
        parts.append(p.render("claims.rising", outlet=_outlet(c)))
    if f.approx:
        parts.append(p.render("claims.approx"))
    return " ".join(x for x in parts if x)


__all__ = ["chronology", "explain"]
