from pathlib import Path

import pytest

from events_app.core.settings import Settings


def test_embedded_defaults(tmp_path: Path):
    settings = Settings.from_env({"DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'events.sqlite3'}"
    assert (settings.host, settings.port, settings.debug) == ("127.0.0.1", 8000, False)
    assert settings.public_url == "http://127.0.0.1:8000"
    assert not settings.secure_cookies
    assert "localhost" in settings.allowed_hosts


def test_secret_key_is_generated_once_and_kept(tmp_path: Path):
    first = Settings.from_env({"DATA_DIR": str(tmp_path)}).secret_key
    second = Settings.from_env({"DATA_DIR": str(tmp_path)}).secret_key
    assert len(first) >= 48 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_environment_overrides(tmp_path: Path):
    settings = Settings.from_env(
        {
            "DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql://app@db.example:5432/ocop",
            "SECRET_KEY": "s3cret",
            "HOST": "0.0.0.0",
            "PORT": "9000",
            "DEBUG": "true",
            "ALLOWED_HOSTS": "ocop.example, www.ocop.example",
            "PUBLIC_URL": "https://ocop.example/",
        }
    )
    assert settings.is_postgres and settings.secret_key == "s3cret"
    assert (settings.host, settings.port, settings.debug) == ("0.0.0.0", 9000, True)
    assert settings.allowed_hosts == ("ocop.example", "www.ocop.example")
    assert settings.public_url == "https://ocop.example" and settings.secure_cookies


@pytest.mark.parametrize(
    "env, message",
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"PORT": "eighty"}, "PORT must be a number"),
        ({"PORT": "70000"}, "between 1 and 65535"),
    ],
)
def test_bad_values_are_explained(tmp_path: Path, env: dict, message: str):
    with pytest.raises(ValueError, match=message):
        Settings.from_env({"DATA_DIR": str(tmp_path), "SECRET_KEY": "x", **env})


def test_booking_locks_are_on_unless_a_test_turns_them_off(tmp_path: Path):
    env = {"DATA_DIR": str(tmp_path)}
    assert Settings.from_env(env).booking_locks
    assert Settings.from_env({**env, "BOOKING_LOCKS": "on"}).booking_locks
    assert not Settings.from_env({**env, "BOOKING_LOCKS": "off"}).booking_locks
    with pytest.raises(ValueError, match="BOOKING_LOCKS must be on or off"):
        Settings.from_env({**env, "BOOKING_LOCKS": "no"})
    with pytest.raises(ValueError, match="for tests only"):
        Settings.from_env({**env, "BOOKING_LOCKS": "off", "PUBLIC_URL": "https://ocop.example"})
