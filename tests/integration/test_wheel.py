"""The project as a container image installs it: a built wheel (not the checkout) answers from another directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the tracked files and install it (no deps) into its own folder."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--no-build-isolation", str(src), "-w", str(work / "dist")],
                   check=True, capture_output=True)
    wheel = next((work / "dist").glob("crosscheck-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    shipped = {p.name for p in (ROOT / "prompts").glob("*.yaml")}
    assert shipped and {f"bot/_prompts/{n}" for n in shipped} <= names, sorted(names)
    site = work / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(site), str(wheel)], check=True, capture_output=True)
    return site


def test_the_installed_wheel_answers_from_another_directory(installed_wheel: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "articles"
    shutil.copytree(ROOT / "corpus", corpus)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    # the wheel's folder first: the checkout's editable install must not be what answers
    env.update(PYTHONPATH=str(installed_wheel), BOT_CORPUS_DIR=str(corpus), BOT_DATA_DIR=str(tmp_path / "data"))
    where = subprocess.run([sys.executable, "-c", "import bot, bot.prompts as p; print(bot.__file__); print(p.PROMPTS_DIR)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split("\n")
    assert where[0].startswith(str(installed_wheel)) and where[1] == str(installed_wheel / "bot" / "_prompts")
    done = subprocess.run([sys.executable, "-m", "bot", "ask", "How many people died?", "--json"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout)
    assert answer["status"] == "answered" and answer["citations"]
    for c in answer["citations"]:
        assert " ".join(c["quote"].split()) in " ".join((corpus / c["source"]).read_text(encoding="utf-8").split())
