"""`refresh --rebuild`: a new index built from the corpus in a fresh folder, then swapped in whole.

For a data dir whose index files are damaged (or just to start clean). The new index is built in
`BOT_DATA_DIR/rebuild.tmp/` by an ordinary refresh while the old files stay where they are: a
rebuild interrupted there leaves the old state, and the next `--rebuild` resumes the build. Then:

1. REBUILD.json is written (atomically) naming the files to move: from then on the swap is decided;
2. each old index file is moved to `rebuild.old/` and its new version moved into its place;
3. REBUILD.json is removed, then `rebuild.old/` and `rebuild.tmp/`.

A swap cut short between 1 and 3 is finished (rolled forward: the new index is complete) by
`finish_swap`, which every refresh and every start of the answer engine runs first, under the
refresh lock; the steps are idempotent. The bot's own state (telegram.sqlite3) is not touched.
Stop `serve` while rebuilding: a running bot keeps the old files open.
"""

from __future__ import annotations

import logging
import shutil

from bot.config import Settings
from bot.errors import DataFileError
from bot.ingest.atomic import write_json_atomically
from bot.ingest.integrity import check_index_files
from bot.ingest.refresh import Indexer, Progress, RefreshReport
from bot.ingest.store import POINTER, current_generation, drop_generation, make_client
from bot.ingest.swap import MARKER, STAGING, finish_swap, lock_data_dir, swap_in

log = logging.getLogger(__name__)


def rebuild(settings: Settings, progress: Progress | None = None, lock_timeout: float = 300.0) -> RefreshReport:
    """Build a new index of the corpus beside the old one and swap it in (see the module docstring)."""
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    finish_swap(data_dir, lock_timeout)
    lock = lock_data_dir(data_dir, lock_timeout)
    try:
        staging = data_dir / STAGING
        staged = settings.model_copy(update={"data_dir": staging})
        try:
            check_index_files(staged, thorough=True)  # a build interrupted earlier resumes if it is sound
        except DataFileError as exc:
            log.warning("starting the rebuild over: %s", exc)
            shutil.rmtree(staging, ignore_errors=True)
        try:
            previous = current_generation(data_dir)  # its collection is dropped afterwards (server mode)
        except DataFileError:
            previous = None
        indexer = Indexer(staged)
        try:
            report = indexer.refresh(progress)
        finally:
            indexer.close()  # Chroma's files must be closed before they move
        new = current_generation(staging)
        assert new is not None, "a completed refresh always leaves a pointer"
        entries = [POINTER, new.catalog, staged.syntax_path.name]
        if not settings.server_mode:
            entries.append("chroma")
        write_json_atomically(data_dir / MARKER, {"entries": [e for e in entries if (staging / e).exists()]})
        swap_in(data_dir)
        if settings.server_mode and previous is not None and previous.collection != new.collection:
            try:
                drop_generation(make_client(settings), settings, previous)
            except Exception as exc:  # the new index is live; an old collection left on the server is only space
                log.warning("could not drop the old collection %s: %s", previous.collection, exc)
        return report
    finally:
        lock.release()
