"""Audit the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit.

    .venv/bin/python .ci/audit.py          # or: make audit

Exit 0: no known vulnerability, or the audit could not run here and says why in one line
(pip-audit needs PyPI's per-release JSON API or osv.dev; a machine that reaches only the package
index gets "skipped: ..." rather than a false all-clear). Exit 1: vulnerabilities found, listed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"


def main() -> int:
    """Run pip-audit over the lock file and print one verdict line (plus any findings)."""
    cmd = [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--disable-pip", "--progress-spinner", "off",
           "--format", "json", "--vulnerability-service", "pypi"]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except FileNotFoundError:
        print("audit skipped: pip-audit is not installed in this environment (make .venv/.installed)")
        return 0
    except subprocess.TimeoutExpired:
        print("audit skipped: the advisory service did not answer within 10 minutes")
        return 0
    try:
        report = json.loads(done.stdout or "{}")
    except ValueError:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        print(f"audit skipped: pip-audit could not reach an advisory service ({reason})")
        return 0
    deps = report.get("dependencies", [])
    audited = [d for d in deps if "skip_reason" not in d]
    if deps and not audited:
        print(f"audit skipped: the advisory service answered for none of the {len(deps)} locked packages "
              "(this machine reaches the package index but not PyPI's per-release vulnerability data)")
        return 0
    found = [(d["name"], d["version"], v["id"], ", ".join(v.get("fix_versions", [])) or "no fix yet")
             for d in audited for v in d.get("vulns", [])]
    for name, version, vid, fix in found:
        print(f"{name} {version}: {vid} (fixed in {fix})")
    unaudited = len(deps) - len(audited)
    note = f"; {unaudited} package(s) could not be checked" if unaudited else ""
    print(f"audit: {len(found)} known vulnerabilit{'y' if len(found) == 1 else 'ies'} in {len(audited)} packages{note}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
