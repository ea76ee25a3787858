"""The bot token never reaches a log, even from a record that cannot be formatted (issue 9, issue 13)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from bot.telegram.app import install_log_redaction, remove_log_redaction

TOKEN = "987654:SEC-ret_TokenValue_abcdefghijk"


class Loud:
    """An argument whose str() shows the token and whose format would fail."""

    def __str__(self) -> str:
        return f"https://api.telegram.org/bot{TOKEN}/getMe"

    def __repr__(self) -> str:
        return f"Loud({TOKEN})"


class BrokenRepr:
    def __repr__(self) -> str:
        raise RuntimeError(f"cannot show {TOKEN}")

    __str__ = __repr__


@pytest.fixture
def captured() -> Iterator[tuple[logging.Logger, io.StringIO, io.StringIO]]:
    """A logger with a handler writing to a buffer; logging's own error reports go to another buffer."""
    install_log_redaction(TOKEN)
    stream, errors = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("crosscheck.security.test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    with contextlib.redirect_stderr(errors):
        yield logger, stream, errors
    logger.removeHandler(handler)
    remove_log_redaction(TOKEN)


@pytest.mark.parametrize("emit", [
    lambda log: log.error("calling %s", f"https://api.telegram.org/bot{TOKEN}/getMe"),
    lambda log: log.error("too few arguments %s %s", TOKEN),  # formatting fails
    lambda log: log.error("wrong type %d", TOKEN),  # formatting fails
    lambda log: log.error("no placeholder", TOKEN),  # formatting fails: not all arguments converted
    lambda log: log.error("%(missing)s", {"token": TOKEN}),  # formatting fails: KeyError
    lambda log: log.error(Loud()),  # the message object itself shows the token
    lambda log: log.error("%s %s", Loud()),  # fails, with an argument whose repr shows the token
    lambda log: log.error("%d", BrokenRepr()),  # fails, and the argument cannot even be shown
    lambda log: log.warning("url %s", f"https://h/bot{quote(TOKEN, safe='')}/x"),  # as a URL carries it
    lambda log: log.error("failed", exc_info=RuntimeError(f"request to /bot{TOKEN}/getMe failed")),
    lambda log: log.error("failed %s %s", TOKEN, exc_info=ValueError(TOKEN)),
    lambda log: log.info(TOKEN, stack_info=True),
])
def test_security_token_never_in_logs_even_when_a_record_fails_to_format(captured, emit) -> None:
    logger, stream, errors = captured
    emit(logger)
    written, reported = stream.getvalue(), errors.getvalue()
    assert written.strip(), "the record was lost"
    for text in (written, reported):
        assert TOKEN not in text and quote(TOKEN, safe="") not in text, text
    assert "--- Logging error ---" not in reported  # nothing left for logging to fail on


def test_security_redaction_also_reaches_handlers_of_other_loggers(captured) -> None:
    """Records are scrubbed when they are made: the root logger's handlers see "<token>" too."""
    _, _, _ = captured
    stream = io.StringIO()
    root_handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(root_handler)
    try:
        logging.getLogger("telegram.ext.ExtBot").warning("Bot URL %s", f"https://x/bot{TOKEN}")
    finally:
        logging.getLogger().removeHandler(root_handler)
    assert "<token>" in stream.getvalue() and TOKEN not in stream.getvalue()
