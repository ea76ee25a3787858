"""Errors that are shown to the user as a message, never as a traceback."""

from __future__ import annotations


class CrosscheckError(Exception):
    """Base: the message is written for the person at the keyboard."""


class ConfigError(CrosscheckError):
    """Settings or prompt files are wrong."""


class ArticleError(CrosscheckError):
    """One article file cannot be read; the refresh reports it and goes on."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class IndexBusyError(CrosscheckError):
    """Another refresh holds the index lock."""


class IndexMissingError(CrosscheckError):
    """There is no index yet and it could not be built."""


class QuestionError(CrosscheckError):
    """The question cannot be answered as given (empty, too long)."""
