"""Typed settings, read once from the environment and `.env` in `__main__` and passed in."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.sharding import fixed_size_range, shard_range
from bot.storage.database import StorageError, dialect_of, sqlite_path

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class SettingsError(Exception):
    """Raised with one readable line per invalid setting, so start-up never shows a traceback."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Settings(BaseSettings):
    """Every knob Lantern reads from its environment. `.env.example` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        case_sensitive=False,
    )

    discord_token: SecretStr | None = Field(
        default=None, description="Bot token; without it `lantern run` starts the local sandbox."
    )
    database_url: str = Field(
        default="lantern.sqlite3",
        validation_alias=AliasChoices("database_url", "database_path"),
        repr=False,  # it may carry a password; the log filter also blanks it (bot/__main__.py)
        description="A SQLite file path or sqlite:///path (default), or postgresql://… for several processes. "
        "DATABASE_PATH, its older name, still works.",
    )
    log_level: LogLevel = Field(default="INFO", description="Logging verbosity.")
    dev_guild_id: int | None = Field(
        default=None, gt=0, description="Server id to sync commands to instantly while developing."
    )
    content_dir: Path | None = Field(
        default=None, description="Folder of content TOML files; default: the shipped data/ folder."
    )
    daily_sends_per_second: float = Field(
        default=40.0,
        gt=0,
        le=50,
        description="Pace of daily DMs; Discord allows 50 requests a second for the "
        "whole bot, and every process's replies share them.",
    )
    privacy_url: str | None = Field(default=None, description="Public link to the privacy statement shown by /help.")
    shard_count: int | None = Field(
        default=None, gt=0, description="Shards in all, over every process; default: Discord's recommendation."
    )
    clusters: int = Field(default=1, gt=0, description="How many processes share the shards.")
    cluster_index: int = Field(default=0, ge=0, description="This process's number, 0 to CLUSTERS - 1.")
    shards_per_process: int | None = Field(
        default=None, gt=0, description="Instead of CLUSTERS: how many shards each process runs."
    )

    @field_validator("database_url", mode="before")
    @classmethod
    def _url_text(cls, value: object) -> object:
        return str(value) if isinstance(value, Path) else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        try:
            dialect_of(value)
        except StorageError as exc:
            raise ValueError(str(exc).removeprefix("DATABASE_URL ")) from None
        return value

    @model_validator(mode="after")
    def _cluster_fits(self) -> Settings:
        several = self.clusters > 1 or self.shards_per_process is not None
        if several and self.shard_count is None:
            raise ValueError("SHARD_COUNT must be set when CLUSTERS or SHARDS_PER_PROCESS splits the shards")
        if self.shard_count is not None and self.process_count > self.shard_count:
            raise ValueError(f"{self.process_count} processes cannot share {self.shard_count} shards")
        if self.cluster_index >= self.process_count:
            raise ValueError(f"CLUSTER_INDEX must be below {self.process_count} (counting from 0)")
        if self.process_count > 1 and self.database_dialect != "postgresql":
            raise ValueError("several processes need a shared PostgreSQL database: set DATABASE_URL=postgresql://…")
        return self

    @property
    def database_dialect(self) -> Literal["sqlite", "postgresql"]:
        return dialect_of(self.database_url)

    @property
    def database_path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return Path(sqlite_path(self.database_url)) if self.database_dialect == "sqlite" else None

    @property
    def process_count(self) -> int:
        if self.shards_per_process is not None and self.shard_count is not None:
            return math.ceil(self.shard_count / self.shards_per_process)
        return self.clusters

    def shard_ids(self) -> list[int] | None:
        """This process's contiguous shards; None: all of them, as many as Discord recommends."""
        if self.shard_count is None:
            return None
        if self.shards_per_process is not None:
            return list(fixed_size_range(self.shard_count, self.shards_per_process, self.cluster_index))
        return list(shard_range(self.shard_count, self.clusters, self.cluster_index))

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("privacy_url")
    @classmethod
    def _https_only(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("https://"):
            raise ValueError("must start with https://")
        return value


def _env_name(loc: tuple[int | str, ...]) -> str:
    return str(loc[0]).upper() if loc else "SETTINGS"


def _problem(err: Any) -> str:
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{_env_name(err['loc'])}: {message}"


def load_settings(env_file: Path | str | None = ".env", **overrides: Any) -> Settings:
    """Load settings, turning pydantic's errors into one line per problem."""
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        problems = [_problem(err) for err in exc.errors()]
        raise SettingsError(problems) from None
