from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DISCORD_TOKEN", "DATABASE_PATH", "LOG_LEVEL", "DEV_GUILD_ID", "CONTENT_DIR", "PRIVACY_URL"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_nothing() -> None:
    settings = load_settings(env_file=None)
    assert settings.discord_token is None
    assert settings.database_path == Path("lantern.sqlite3")
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None
    # ~40 a second for the whole bot (issue 16): the rest of Discord's 50 is for every process's replies.
    assert settings.daily_sends_per_second == 40


def test_reads_environment_and_keeps_token_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "abc.def.ghi")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("DEV_GUILD_ID", "123456789012345678")
    settings = load_settings(env_file=None)
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == "abc.def.ghi"
    assert "abc.def.ghi" not in repr(settings)
    assert settings.log_level == "DEBUG"
    assert settings.dev_guild_id == 123456789012345678


def test_reads_dotenv_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DATABASE_PATH=/tmp/x.sqlite3\nDEV_GUILD_ID=\n", encoding="utf-8")
    settings = load_settings(env_file=env_file)
    assert settings.database_path == Path("/tmp/x.sqlite3")
    assert settings.dev_guild_id is None  # an empty value means "not set"


def test_malformed_values_give_one_line_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEV_GUILD_ID", "my-server")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    monkeypatch.setenv("PRIVACY_URL", "http://insecure.example")
    with pytest.raises(SettingsError) as caught:
        load_settings(env_file=None)
    problems = caught.value.problems
    assert len(problems) == 3
    assert {p.split(":")[0] for p in problems} == {"DEV_GUILD_ID", "LOG_LEVEL", "PRIVACY_URL"}
    assert all("\n" not in p for p in problems)


def test_negative_guild_id_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEV_GUILD_ID", "-5")
    with pytest.raises(SettingsError, match="DEV_GUILD_ID"):
        load_settings(env_file=None)


def test_env_example_documents_every_setting() -> None:
    from bot.settings import Settings

    example = (Path(__file__).parents[2] / ".env.example").read_text(encoding="utf-8")
    lines = example.splitlines()
    for name in Settings.model_fields:
        variable = name.upper()
        index = next((i for i, line in enumerate(lines) if line.startswith(f"{variable}=")), None)
        assert index is not None, f"{variable} missing from .env.example"
        assert lines[index - 1].startswith("#"), f"{variable} has no comment above it"


def test_debug_logging_keeps_payload_loggers_quiet() -> None:
    import logging

    from bot.logging_setup import PAYLOAD_LOGGERS, configure_logging

    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    try:
        configure_logging("DEBUG")
        assert root.level == logging.DEBUG
        for name in PAYLOAD_LOGGERS:
            assert logging.getLogger(name).getEffectiveLevel() >= logging.INFO
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)


async def test_debug_logging_never_writes_database_parameters(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """aiosqlite logs every statement with its parameters at DEBUG; member ids must not reach the log."""
    import logging

    from bot.logging_setup import PAYLOAD_LOGGERS, configure_logging
    from bot.storage import Database
    from bot.storage.members import MemberSettings

    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    member_id = 987654321012345678
    try:
        configure_logging("DEBUG")
        root.addHandler(caplog.handler)  # configure_logging replaced the root handlers
        caplog.set_level(logging.DEBUG)
        db = Database(tmp_path / "debug.sqlite3")
        await db.open()
        await db.migrate()
        await MemberSettings(db).set_region(member_id, "UK")
        await db.close()
        assert caplog.records, "DEBUG logging is on"
        assert str(member_id) not in caplog.text
    finally:
        root.setLevel(saved[0])
        root.handlers[:] = saved[1]
        for name in PAYLOAD_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)
