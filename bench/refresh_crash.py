"""Refresh under SIGKILL: kill `python -m bot refresh` at random moments; after each kill the index must
open and answer, and the next refresh must complete.

    .venv/bin/python bench/refresh_crash.py                # 50 rounds → bench/results/refresh_crash.json
    .venv/bin/python bench/refresh_crash.py --rounds 5     # quicker

A corpus of three short articles is indexed in a temporary directory. Each round edits one of
them (a new figure), starts `python -m bot refresh --json` as a subprocess and kills it with SIGKILL
after a random delay between 0 and the time an uninterrupted refresh of one edit took (measured
first). Then, each as a fresh process as a user would run it:

- `python -m bot ask --json` about the edited figure must exit 0 and quote the article, either the
  version before the edit or the edited one (which one is recorded);
- `python -m bot refresh --json` must exit 0, and after it the edited version is the live one.

Where the kill landed is read from the catalog afterwards: before the new version was recorded,
while it was being written, built but not live yet, or after the flip. Prints a table and writes
JSON to bench/results/refresh_crash.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from results_io import save_results  # noqa: E402

ARTICLES = {
    "flood.md": ("Flood in Ardmore", "The river burst its banks in Ardmore on Sunday. At least 40 homes were flooded."),
    "storm.md": ("Storm reaches the coast", "The storm reached the coast at dawn. Winds of 120 km/h tore roofs off 30 houses."),
    "dam.md": ("Dam inspected", "Engineers inspected the old dam above the town. They found two cracks in its wall."),
}
QUESTION = "How many houses had lost their roofs by evening?"


def _md(title: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: Test Wire\npublished: 2025-05-04\n---\n\n{body}\n"


def _storm(n: int) -> str:
    return _md(ARTICLES["storm.md"][0], ARTICLES["storm.md"][1] + f" By evening {n} houses had lost their roofs.")


def _run(env: dict[str, str], *args: str) -> tuple[int, str, str, float]:
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=900)
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - t0


def _phase(data: Path, before_live: str | None) -> str:
    """Where the kill landed, from the catalog's record of storm.md."""
    pointer = json.loads((data / "CURRENT.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(f"file:{data / pointer['catalog']}?mode=ro", uri=True)
    try:
        live = db.execute("SELECT hash FROM live WHERE source = 'storm.md'").fetchone()
        others = dict(db.execute("SELECT hash, state FROM versions WHERE source = 'storm.md' AND hash != ?",
                                 (live[0] if live else "",)).fetchall())
    finally:
        db.close()
    if live and live[0] != before_live:
        return "after the flip"
    states = set(others.values())
    if "built" in states:
        return "built, not live yet"
    if "writing" in states:
        return "writing the new version"
    return "before the new version was recorded"


def _live_hash(data: Path) -> str | None:
    pointer = json.loads((data / "CURRENT.json").read_text(encoding="utf-8"))
    db = sqlite3.connect(f"file:{data / pointer['catalog']}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT hash FROM live WHERE source = 'storm.md'").fetchone()
    finally:
        db.close()
    return row[0] if row else None


def _quoted(stdout: str) -> int | None:
    """The roof figure the answer quotes from the storm article, or None."""
    try:
        answer = json.loads(stdout)
    except ValueError:
        return None
    for c in answer.get("citations", []):
        if c.get("source") == "storm.md" and "By evening" in c.get("quote", ""):
            words = c["quote"].split("By evening", 1)[1].split()
            if words and words[0].isdigit():
                return int(words[0])
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "refresh_crash.json")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)

    with tempfile.TemporaryDirectory(prefix="refresh-crash-") as tmp:
        base = Path(tmp)
        corpus, data = base / "corpus", base / "data"
        corpus.mkdir()
        for name, (title, body) in ARTICLES.items():
            (corpus / name).write_text(_md(title, body), encoding="utf-8")
        (corpus / "storm.md").write_text(_storm(30), encoding="utf-8")
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
        env = {**keep, "BOT_CORPUS_DIR": str(corpus), "BOT_DATA_DIR": str(data), "NO_COLOR": "1"}
        code, _, err, first = _run(env, "refresh", "--json")
        if code != 0:
            print(f"the first refresh failed: {err.strip()[-500:]}", file=sys.stderr)
            return 1
        (corpus / "storm.md").write_text(_storm(31), encoding="utf-8")
        code, _, err, one_edit = _run(env, "refresh", "--json")
        if code != 0:
            print(f"a refresh of one edit failed: {err.strip()[-500:]}", file=sys.stderr)
            return 1
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; first build {first:.1f} s; refresh of one edit {one_edit:.1f} s (kills land in 0..{one_edit:.1f} s)")

        rounds: list[dict[str, Any]] = []
        figure = 31
        for r in range(args.rounds):
            before, new = figure, 100 + r
            before_live = _live_hash(data)
            (corpus / "storm.md").write_text(_storm(new), encoding="utf-8")
            delay = rng.uniform(0.0, one_edit)
            child = subprocess.Popen([sys.executable, "-m", "bot", "refresh", "--json"], env=env, cwd=ROOT,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            finished_first = child.poll() is not None
            child.send_signal(signal.SIGKILL)
            child.wait()
            phase = "had finished" if finished_first else _phase(data, before_live)
            a_code, a_out, a_err, a_secs = _run(env, "ask", QUESTION, "--json")
            quoted = _quoted(a_out) if a_code == 0 else None
            f_code, f_out, f_err, f_secs = _run(env, "refresh", "--json")
            edit_live = f_code == 0 and _live_hash(data) != before_live
            row = {
                "round": r + 1, "kill_after_s": round(delay, 2), "phase": phase,
                "ask_exit": a_code, "ask_quotes": ("old" if quoted == before else "new" if quoted == new else None),
                "ask_seconds": round(a_secs, 1), "next_refresh_exit": f_code, "next_refresh_seconds": round(f_secs, 1),
                "edit_live_after_refresh": edit_live,
                "errors": [e for e in (a_err.strip()[-300:] if a_code else "", f_err.strip()[-300:] if f_code else "") if e],
            }
            row["ok"] = a_code == 0 and row["ask_quotes"] is not None and edit_live
            rounds.append(row)
            figure = new
            print(f"round {r + 1:2d}: kill after {delay:4.1f} s ({phase}); ask {'ok' if row['ask_quotes'] else 'FAILED'}"
                  f" ({row['ask_quotes']}); next refresh {'ok' if f_code == 0 else 'FAILED'} in {f_secs:.1f} s;"
                  f" edit live after it: {edit_live}", flush=True)

    ok = sum(r["ok"] for r in rounds)
    phases = Counter(r["phase"] for r in rounds)
    print()
    print("| rounds | index opened and answered | next refresh completed | edit live after it | kills by phase |")
    print("|---|---|---|---|---|")
    print(f"| {len(rounds)} | {sum(r['ask_quotes'] is not None for r in rounds)} | "
          f"{sum(r['next_refresh_exit'] == 0 for r in rounds)} | {sum(r['edit_live_after_refresh'] for r in rounds)} | "
          + "; ".join(f"{k}: {v}" for k, v in phases.most_common()) + " |")
    save_results({
        "rounds": len(rounds), "ok": ok, "seed": args.seed, "refresh_one_edit_seconds": round(one_edit, 1),
        "first_build_seconds": round(first, 1), "phases": dict(phases),
        "answered_after_kill": sum(r["ask_quotes"] is not None for r in rounds),
        "answered_old": sum(r["ask_quotes"] == "old" for r in rounds),
        "answered_new": sum(r["ask_quotes"] == "new" for r in rounds),
        "next_refresh_completed": sum(r["next_refresh_exit"] == 0 for r in rounds),
        "machine": "2 cores shared with other jobs" if os.getloadavg()[0] > 1.5 else "2 cores",
        "load_average_at_end": round(os.getloadavg()[0], 1), "per_round": rounds,
    }, args.out)
    return 0 if ok == len(rounds) else 1


if __name__ == "__main__":
    sys.exit(main())
