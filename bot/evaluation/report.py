"""The answer-quality report: a JSON object, a Markdown file with every failed case, a rich console table.

Headings and sentences come from prompts/eval.yaml.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from bot.evaluation.cases import CATEGORIES, Case
from bot.evaluation.metrics import (
    METRICS,
    CaseCheck,
    paraphrase_consistency,
    percentile,
)
from bot.evaluation.thresholds import Thresholds, Violation
from bot.prompts import Prompts


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0f}" if abs(value) >= 10 else f"{value:.3f}".rstrip("0").rstrip(".") or "0"


def _expected(case: Case) -> dict[str, Any]:
    out: dict[str, Any] = {"status": list(case.status)}
    if case.facts:
        out["facts"] = [list(f.any_of) for f in case.facts]
    if case.sources:
        out["sources"] = list(case.sources)
    if case.disagreement:
        out["disagreement"] = {"about": case.disagreement.about,
                               "values": {s: list(v) for s, v in case.disagreement.values.items()}}
    elif case.no_disagreement:
        out["disagreement"] = "none"
    if case.must_not_contain:
        out["must_not_contain"] = list(case.must_not_contain)
    return out


def category_rows(checks: Sequence[CaseCheck]) -> dict[str, dict[str, Any]]:
    """Per-category counts: cases, passed, status right, facts, disagreements, false alarms, p50 latency."""
    rows: dict[str, dict[str, Any]] = {}
    for cat in [*CATEGORIES, "all"]:
        cs = [c for c in checks if cat == "all" or c.case.category == cat]
        if not cs:
            continue
        dis = [c for c in cs if c.disagreement_surfaced is not None]
        rows[cat] = {
            "cases": len(cs),
            "passed": sum(c.passed for c in cs),
            "status_ok": sum(c.status_ok for c in cs),
            "facts_found": sum(len(c.facts_found) for c in cs),
            "facts": sum(len(c.case.facts) for c in cs),
            "disagreements_surfaced": sum(bool(c.disagreement_surfaced) for c in dis),
            "disagreements_expected": len(dis),
            "false_alarms": sum(bool(c.false_alarm) for c in cs),
            "latency_p50_ms": percentile([ms for c in cs for ms in c.latency_ms], 0.5),
        }
    return rows


def build_report(checks: Sequence[CaseCheck], metrics: dict[str, float | None], thresholds: Thresholds | None,
                 failed: Sequence[Violation], meta: dict[str, Any],
                 turns: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """The whole run as one JSON-ready object (`turns`: every answer object of each case, by case id)."""
    _, groups = paraphrase_consistency(checks)
    return {
        **meta,
        "cases": len(checks),
        "passed": sum(c.passed for c in checks),
        "ok": not failed,
        "metrics": metrics,
        "thresholds": ({"file": thresholds.path, "min": thresholds.min, "max": thresholds.max} if thresholds else None),
        "violations": [v.__dict__ for v in failed],
        "categories": category_rows(checks),
        "paraphrase_groups": groups,
        "results": [
            {
                "id": c.case.id, "category": c.case.category, "group": c.case.group or None,
                "turns": list(c.case.turns), "passed": c.passed, "failures": c.failures,
                "expected": _expected(c.case), "latency_ms": c.latency_ms,
                "facts_found": c.facts_found, "disagreement_surfaced": c.disagreement_surfaced,
                "answers": turns.get(c.case.id, [c.answer]),
            }
            for c in checks
        ],
    }


def _limit_text(metric: str, thresholds: Thresholds | None) -> str:
    lim = thresholds.limit(metric) if thresholds else None
    return "" if lim is None else ("≥ " if lim[0] == "min" else "≤ ") + _fmt(lim[1])


def _result_text(metric: str, report: dict[str, Any], p: Prompts) -> str:
    failed = {v["metric"]: v["kind"] for v in report["violations"]}
    if metric in failed:
        return p.render("eval.below" if failed[metric] == "min" else "eval.above")
    if report["metrics"].get(metric) is None:
        return p.render("eval.not_measured")
    return p.render("eval.ok") if report["thresholds"] and _has_limit(metric, report) else ""


def _has_limit(metric: str, report: dict[str, Any]) -> bool:
    t = report["thresholds"]
    return metric in t["min"] or metric in t["max"]


def _thresholds_of(report: dict[str, Any]) -> Thresholds | None:
    t = report["thresholds"]
    return Thresholds(t["file"], t["min"], t["max"]) if t else None


def _category_cells(name: str, row: dict[str, Any]) -> list[str]:
    dis = f"{row['disagreements_surfaced']}/{row['disagreements_expected']}" if row["disagreements_expected"] else "—"
    facts = f"{row['facts_found']}/{row['facts']}" if row["facts"] else "—"
    return [name, str(row["cases"]), str(row["passed"]), f"{row['status_ok']}/{row['cases']}", facts, dis,
            str(row["false_alarms"]), _fmt(row["latency_p50_ms"])]


def print_console(report: dict[str, Any], console: Console, p: Prompts) -> None:
    """The metrics and the by-category table on a rich console."""
    thresholds = _thresholds_of(report)
    console.print(p.render("eval.summary", passed=report["passed"], cases=report["cases"],
                           seconds=f"{report['seconds']:.1f}", set=report["set"], corpus=report["corpus_dir"]),
                  highlight=False)
    cats = Table(title=p.render("eval.categories_heading"))
    for i, col in enumerate(p.render("eval.category_columns").split(",")):
        cats.add_column(col, justify="left" if i == 0 else "right", no_wrap=i == 0)
    for name, row in report["categories"].items():
        cats.add_row(*_category_cells(name, row), style="bold" if name == "all" else None)
    console.print(cats)
    mets = Table(title=p.render("eval.metrics_heading"))
    wide = console.width >= 120  # the "what it measures" column only where it fits
    columns = p.render("eval.metric_columns").split(",")
    for i, col in enumerate(columns if wide else columns[:-1]):
        mets.add_column(col, justify="right" if i in (1, 2) else "left")
    for name in METRICS:
        result = _result_text(name, report, p)
        style = "red" if result in (p.render("eval.below"), p.render("eval.above")) else None
        cells = [name, _fmt(report["metrics"].get(name)), _limit_text(name, thresholds), result]
        mets.add_row(*cells, *([p.render(f"eval.metric_{name}")] if wide else []), style=style)
    console.print(mets)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    esc = [[cell.replace("|", "\\|").replace("\n", " ") for cell in row] for row in [header, *rows]]
    return ["| " + " | ".join(esc[0]) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in esc[1:]]


def _md_answer(answer: dict[str, Any]) -> list[str]:
    if "error" in answer:
        return [f"- error: {answer['error']}"]
    lines = [f"- status: `{answer.get('status')}`", f"- answer: {answer.get('answer', '')}"]
    for c in answer.get("citations") or []:
        lines.append(f"- [{c.get('n')}] `{c.get('source')}`: “{c.get('quote')}”")
    for d in answer.get("disagreements") or []:
        values = "; ".join(f"{c.get('value')} ({c.get('source')})" for c in d.get("claims") or [])
        lines.append(f"- disagreement *{d.get('topic')}*: {values}")
    return lines


def _member(result: dict[str, Any]) -> str:
    """One paraphrase: its status, the facts it stated, whether its disagreement was surfaced."""
    facts = ", ".join(result["facts_found"]) or "—"
    surfaced = result["disagreement_surfaced"]
    dis = "" if surfaced is None else f", disagreement {'surfaced' if surfaced else 'missed'}"
    return f"{result['id']} → {result['answers'][-1].get('status')} ({facts}{dis})"


def render_markdown(report: dict[str, Any], p: Prompts) -> str:
    """report.md: summary, metrics, categories, inconsistent paraphrase groups, every failed case."""
    thresholds = _thresholds_of(report)
    out = [f"# {p.render('eval.title')}", "",
           p.render("eval.summary", passed=report["passed"], cases=report["cases"], seconds=f"{report['seconds']:.1f}",
                    set=report["set"], corpus=report["corpus_dir"]), ""]
    out += [f"## {p.render('eval.metrics_heading')}", ""]
    out += _md_table(p.render("eval.metric_columns").split(","), [
        [name, _fmt(report["metrics"].get(name)), _limit_text(name, thresholds), _result_text(name, report, p),
         p.render(f"eval.metric_{name}")] for name in METRICS])
    out += ["", f"## {p.render('eval.categories_heading')}", ""]
    out += _md_table(p.render("eval.category_columns").split(","),
                     [_category_cells(n, r) for n, r in report["categories"].items()])
    bad_groups = [g for g, ok in report["paraphrase_groups"].items() if not ok]
    if bad_groups:
        out += ["", f"## {p.render('eval.groups_heading')}", ""]
        by_group: dict[str, list[dict[str, Any]]] = {}
        for r in report["results"]:
            if r["group"] in bad_groups:
                by_group.setdefault(r["group"], []).append(r)
        for g in bad_groups:
            out.append(f"- **{g}**: " + "; ".join(_member(r) for r in by_group[g]))
    out += ["", f"## {p.render('eval.failures_heading')}", ""]
    failed = [r for r in report["results"] if not r["passed"]]
    if not failed:
        out.append(p.render("eval.no_failures"))
    for r in failed:
        out += [f"### {r['id']} ({r['category']})", ""]
        out += [f"> {t}" for t in r["turns"]]
        out += ["", f"**{p.render('eval.problems')}**", ""] + [f"- {f}" for f in r["failures"]]
        out += ["", f"**{p.render('eval.expected')}**", "", "```json",
                json.dumps(r["expected"], ensure_ascii=False), "```"]
        out += ["", f"**{p.render('eval.got')}**", ""]
        for turn, answer in zip(r["turns"][:-1], r["answers"][:-1]):  # earlier turns of a conversation
            out.append(f"- ({turn}) → `{answer.get('status')}`: {str(answer.get('answer', ''))[:200]}")
        out += _md_answer(r["answers"][-1]) + [""]
    return "\n".join(out).rstrip() + "\n"


def write_report(report: dict[str, Any], directory: Path, p: Prompts) -> tuple[Path, Path]:
    """Write report.json and report.md into `directory` (created if needed)."""
    directory.mkdir(parents=True, exist_ok=True)
    json_path, md_path = directory / "report.json", directory / "report.md"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(report, p), encoding="utf-8")
    return json_path, md_path
