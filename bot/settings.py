"""Typed settings, read once from the environment and `.env` in `__main__` and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    database_path: Path = Field(default=Path("lantern.sqlite3"), description="SQLite database file.")
    log_level: LogLevel = Field(default="INFO", description="Logging verbosity.")
    dev_guild_id: int | None = Field(
        default=None, gt=0, description="Server id to sync commands to instantly while developing."
    )
    content_dir: Path | None = Field(
        default=None, description="Folder of content TOML files; default: the shipped data/ folder."
    )
    daily_sends_per_second: float = Field(
        default=46.0, gt=0, le=50, description="Pace of daily DMs; Discord allows 50 requests a second in all."
    )
    privacy_url: str | None = Field(default=None, description="Public link to the privacy statement shown by /help.")

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


def load_settings(env_file: Path | str | None = ".env", **overrides: Any) -> Settings:
    """Load settings, turning pydantic's errors into one line per problem."""
    try:
        return Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        problems = [f"{_env_name(err['loc'])}: {err['msg']}" for err in exc.errors()]
        raise SettingsError(problems) from None
