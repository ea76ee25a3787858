"""The dependency audit (`make audit`): one verdict line, never a traceback, whether or not the advisory service answers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_security_audit_gives_a_verdict_over_the_lock() -> None:
    done = subprocess.run([sys.executable, str(ROOT / ".ci" / "audit.py")], capture_output=True, text=True, timeout=900)
    lines = done.stdout.strip().splitlines()
    assert "Traceback" not in done.stdout + done.stderr
    verdict = lines[-1]
    if verdict.startswith("audit skipped: "):
        assert done.returncode == 0 and len(lines) == 1 and len(verdict) > 40  # says why, in one line
    else:
        assert verdict.startswith("audit: ") and done.returncode == (1 if "audit: 0 " not in verdict else 0)
        assert len(lines) - 1 == int(verdict.split()[1])  # one line per vulnerability found
