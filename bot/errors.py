"""Errors that are shown to the user as a message, never as a traceback."""

from __future__ import annotations


class CrosscheckError(Exception):
    """Base: the message is written for the person at the keyboard."""


class ConfigError(CrosscheckError):
    """Settings or prompt files are wrong."""


class ArticleError(CrosscheckError):
    """One article file cannot be used; the refresh reports it and goes on.

    `keep_previous`: the file is there but broken or unreadable right now (a half-written save, a
    permission slip), so an earlier good version stays in the index. False where the file must not
    be indexed at all (a link, a copy of another article).
    """

    def __init__(self, source: str, reason: str, keep_previous: bool = True) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason
        self.keep_previous = keep_previous


class DataFileError(CrosscheckError):
    """A file of the index in the data dir is damaged (truncated, overwritten, not what it should be)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"the index file {path} is damaged ({reason}); run `python -m bot refresh --rebuild` "
                         "to rebuild the index from the corpus")
        self.path = path
        self.reason = reason


class IndexBusyError(CrosscheckError):
    """Another refresh holds the index lock."""


class IndexMissingError(CrosscheckError):
    """There is no index yet and it could not be built."""


class QuestionError(CrosscheckError):
    """The question cannot be answered as given (empty, too long)."""
