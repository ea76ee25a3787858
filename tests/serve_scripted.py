"""`python -m bot serve` with a scripted engine: the crash tests kill this process with SIGKILL.

    python tests/serve_scripted.py        # settings from the environment, as `python -m bot serve`

The bot is built and run exactly as bot.telegram.app.run does (build_application, then serve with
signal handling); only the answer engine is a stand-in (the engine is not under test here, and
loading the real index at every restart would dominate the test's time). Each answer starts with
"Answer to: <question>" and takes CROSSCHECK_ENGINE_DELAY seconds (default 0.2), so a kill can
land while questions are being answered.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scripted_engine import ScriptedEngine  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.models import Answer, Turn  # noqa: E402
from bot.telegram.app import build_application, serve  # noqa: E402


class SlowEcho(ScriptedEngine):
    """Answers "Answer to: <question>" after a delay."""

    def ask(self, question: str, history: Sequence[Turn] = ()) -> Answer:
        time.sleep(float(os.environ.get("CROSSCHECK_ENGINE_DELAY", "0.2")))
        return Answer(question=question, status="answered", answer=f"Answer to: {question}", turn=Turn(question))


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    engine: Any = SlowEcho()
    serve(build_application(settings, engine_factory=lambda s: engine), settings)


if __name__ == "__main__":
    main()
