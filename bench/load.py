"""Load under faults: N users × M questions to the real bot through the local Bot API emulator.

    .venv/bin/python bench/load.py --users 200 --questions 10 --faults 0.15
    .venv/bin/python bench/load.py --users 50 --questions 4 --faults 0.15 --engine real

The bot is the real python-telegram-bot application (bot.telegram.app.build_application and
serve, as `python -m bot serve` runs it) talking HTTP to tests/botapi_emulator.py. A share of
*all* Bot API calls fails at random (--faults): 429 with retry_after, 500, 502, a delay of up to
a second, or a connection dropped before the call is processed; with --lost also an answer lost
after the call was processed (the send reached Telegram but the bot cannot know it: the duplicate
window of a retried send). Each user writes in a private chat and sends its questions a moment
apart without waiting for the answers. --keep-duplicates turns off the bot's search for the copies
such retries leave (bot/telegram/duplicates.py), to measure the window without it.

The engine is `echo` by default (a scripted engine that answers at once: what is measured is
delivery) or `real` (the answer engine over the project's corpus; the index is built in a
temporary directory first). Each question carries a tag (#u12q3) that the engine strips and the
answer starts with, so every message the bot sent can be traced to its question.

Reports questions sent, answered, answered twice (two copies left in the chat; copies the bot found
and deleted are counted apart), apologies, chats whose answers came in the
order asked, latency from sending a question to its answer (p50/p95/max), faults injected, and
the process's peak RSS (emulator, users and bot share the process). Prints a table and writes
JSON to bench/results/load.json (or --out).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from botapi_emulator import ALL_FAULT_KINDS, FAULT_KINDS, BotApiEmulator, user  # noqa: E402
from results_io import save_results  # noqa: E402
from telegram_harness import RunningBot  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.models import Answer, Turn  # noqa: E402
from bot.prompts import prompts  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402

QUESTIONS = [
    "How many people died?", "How many people were injured?", "Where did the attack take place?",
    "What is ISIS-K?", "Who claimed responsibility for the attack?", "Why did ISIS-K target Russia?",
    "How many suspects were arrested?", "Did the US warn Russia before the attack?",
    "What did Putin say about Ukraine?", "Where does ISIS-K operate?",
]
TAG = re.compile(r"#u(\d+)q(\d+)")
FIRST_USER = 100_000


@dataclass
class TaggedEngine:
    """Wraps an engine: strips the question's tag before answering and starts the answer with it."""

    inner: Any
    delay: float = 0.0
    calls: list[str] = field(default_factory=list)

    def check_question(self, question: str) -> str:
        return question

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        m = TAG.search(question)
        tag = m.group(0) if m else ""
        if self.delay:
            time.sleep(self.delay)
        plain = [Turn(TAG.sub("", h.question).strip(), TAG.sub("", h.context).strip()) for h in history]
        answer = self.inner.ask(TAG.sub("", question).strip(), plain)
        answer.answer = f"{tag} {answer.answer}"
        return answer

    def __getattr__(self, name: str) -> Any:
        if name == "close":
            raise AttributeError(name)
        return getattr(self.inner, name)


class EchoEngine:
    """Answers at once: what is measured is delivery, not answering."""

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        return Answer(question=question, status="answered", answer=f"You asked: {question}",
                      turn=Turn(question))

    def check_question(self, question: str) -> str:
        return question

    def sources(self) -> list[Any]:
        return []


def _real_engine(tmp: Path) -> Any:
    from bot.answering.engine import AnswerEngine

    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    engine = AnswerEngine(Settings(_env_file=None, BOT_CORPUS_DIR=str(tmp / "corpus"), BOT_DATA_DIR=str(tmp / "index")))
    engine.ensure_index()
    engine.sources()
    return engine


def _pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run_load(users: int, questions: int, faults: float, *, engine: str = "echo", seed: int = 1,
             gap: float = 0.3, timeout: float = 600.0, engine_delay: float = 0.0, lost: bool = False,
             remove_duplicates: bool = True) -> dict[str, Any]:
    """Run one load test; returns the measures (see the module docstring)."""
    rng = random.Random(seed)
    tmp = Path(tempfile.mkdtemp(prefix="crosscheck-load-"))
    emu = BotApiEmulator().start()
    bot: RunningBot | None = None
    try:
        inner = _real_engine(tmp) if engine == "real" else EchoEngine()
        tagged = TaggedEngine(inner, engine_delay)
        settings = Settings(_env_file=None, BOT_CORPUS_DIR=str(tmp / "corpus"), BOT_DATA_DIR=str(tmp / "bot"),
                            TELEGRAM_BOT_TOKEN=emu.token, TELEGRAM_BASE_URL=emu.base_url,
                            BOT_USER_RATE_PER_MINUTE="0")
        # from the first call on: start-up is under faults too
        emu.chaos(faults, kinds=ALL_FAULT_KINDS if lost else FAULT_KINDS, seed=seed)
        app = build_application(settings, engine_factory=lambda s: tagged, remove_duplicates=remove_duplicates)
        bot = RunningBot(app, settings, emu).start(timeout=120)
        apology = prompts().render("telegram.error")

        sent_at: dict[tuple[int, int], float] = {}
        plan = sorted(((rng.uniform(0, gap) + q * gap, u, q) for u in range(users) for q in range(questions)))
        t0 = time.monotonic()
        for at, u, q in plan:  # each user's questions go out in order, a moment apart
            delay = t0 + at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent_at[(u, q)] = time.monotonic()
            emu.send_message(user(FIRST_USER + u, f"User{u}"), f"{QUESTIONS[(u + q) % len(QUESTIONS)]} #u{u}q{q}")

        def answers() -> dict[tuple[int, int], list[float]]:
            seen: dict[tuple[int, int], list[float]] = {}
            for call in emu.calls_of("sendMessage"):
                if call.status == 200:
                    m = TAG.search(str(call.params.get("text", "")).split("\n", 1)[0])
                    if m:
                        seen.setdefault((int(m[1]), int(m[2])), []).append(call.at)
            return seen

        deadline = time.monotonic() + timeout
        while len(answers()) < users * questions and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)  # let any duplicate arrive before counting
        wall = time.monotonic() - t0
        seen = answers()
        latencies = [times[0] - sent_at[key] for key, times in seen.items() if key in sent_at]
        in_order = 0
        apologies = 0
        left_twice = 0
        for u in range(users):
            chat = FIRST_USER + u
            msgs = emu.bot_messages(chat)
            tags = [(int(m[1]), int(m[2])) for msg in msgs if (m := TAG.match(msg.get("text", "")))]
            qs = [q for _, q in tags]
            left_twice += len(qs) - len(set(qs))
            qs = list(dict.fromkeys(qs))  # a copy left beside its original does not change the order
            in_order += qs == sorted(qs)
            apologies += sum(1 for msg in msgs if msg.get("raw_html") == apology)
        with emu.lock:
            fault_counts = dict(emu.fault_counts)
            total_calls = len(emu.calls)
        return {
            "users": users, "questions_per_user": questions, "fault_rate": faults, "engine": engine, "seed": seed,
            "lost_answers_injected": lost,
            "sent": users * questions,
            "answered": len(seen),
            "answered_twice": left_twice,
            "sent_twice": sum(1 for times in seen.values() if len(times) > 1),
            "copies_deleted": len(emu.deleted),
            "duplicate_search": "on" if remove_duplicates else "off",
            "probes": len(emu.calls_of("editMessageText")),
            "apologies": apologies,
            "chats_in_order": in_order, "chats": users,
            "latency_s": {"p50": round(_pct(latencies, 0.5), 3), "p95": round(_pct(latencies, 0.95), 3),
                          "max": round(max(latencies, default=0.0), 3)},
            "wall_s": round(wall, 2),
            "bot_api_calls": total_calls, "faults_injected": fault_counts,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        if bot is not None:
            emu.chaos(0)
            bot.stop()
        emu.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--questions", type=int, default=10)
    ap.add_argument("--faults", type=float, default=0.15, help="share of Bot API calls that fail (0-1)")
    ap.add_argument("--engine", choices=["echo", "real"], default="echo")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--lost", action="store_true", help="also lose answers after the call was processed")
    ap.add_argument("--keep-duplicates", action="store_true", help="turn off the search for copies of retried sends")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = ap.parse_args()
    import logging

    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")  # faults are expected
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the emulator's side of dropped connections
    r = run_load(args.users, args.questions, args.faults, engine=args.engine, seed=args.seed, lost=args.lost,
                 remove_duplicates=not args.keep_duplicates)
    table = Table(title=f"{r['users']} users × {r['questions_per_user']} questions, {r['fault_rate']:.0%} faults"
                        f"{' (lost answers included)' if args.lost else ''}, {r['engine']} engine")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, value in [
        ("questions sent", r["sent"]), ("answered", f"{r['answered']} ({r['answered'] / max(1, r['sent']):.1%})"),
        ("answered twice (copies left in the chat)", r["answered_twice"]),
        ("sent twice / copies found and deleted", f"{r['sent_twice']} / {r['copies_deleted']}"),
        ("duplicate search / probes (editMessageText)", f"{r['duplicate_search']} / {r['probes']}"),
        ("apologies", r["apologies"]),
        ("chats with answers in order", f"{r['chats_in_order']} / {r['chats']}"),
        ("latency p50 / p95 / max", f"{r['latency_s']['p50']} / {r['latency_s']['p95']} / {r['latency_s']['max']} s"),
        ("wall time", f"{r['wall_s']} s"), ("Bot API calls", r["bot_api_calls"]),
        ("faults injected", ", ".join(f"{k}: {v}" for k, v in sorted(r["faults_injected"].items()))),
        ("peak RSS (whole process)", f"{r['peak_rss_mb']} MB"),
    ]:
        table.add_row(name, str(value))
    Console().print(table)
    save_results(r, args.out)


if __name__ == "__main__":
    main()
