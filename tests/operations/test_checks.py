"""`events-app check`: what a production deployment lacks, from the settings and from the database."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path

from events_app.core.settings import Settings
from events_app.operations.checks import FAIL, OK, WARN, settings_findings
from tests.databases import admin, create_database, database_name, drop_databases, maintenance_url

ROOT = Path(__file__).resolve().parents[2]
URL = os.environ["DATABASE_URL"]
ON_POSTGRES = URL.startswith("postgres")
SECRET = "Zq1-5pXr8mKc0vB2nL7yT4wE9uA6sD3fG1hJ"


def _production(tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": "postgresql://ocop@db.internal:5432/ocop", "SECRET_KEY": SECRET, "DATA_DIR": str(tmp_path),
        "PUBLIC_URL": "https://ocop.sct.gov.vn", "ALLOWED_HOSTS": "ocop.sct.gov.vn", "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "WEB_CONCURRENCY": "4", "SMTP_HOST": "mail.sct.gov.vn", "MAIL_FROM": "OCOP <ocop@sct.gov.vn>",
    }


def _levels(env: dict[str, str]) -> dict[str, str]:
    findings = settings_findings(Settings.from_env(env), env)
    return {finding.topic: finding.level for finding in findings}


def test_a_production_set_up_passes_every_check_of_the_settings(tmp_path: Path):
    assert set(_levels(_production(tmp_path)).values()) == {OK}


def test_the_embedded_defaults_are_named_for_what_they_lack(tmp_path: Path):
    findings = settings_findings(Settings.from_env({"DATA_DIR": str(tmp_path)}), {})
    levels = {finding.topic: finding.level for finding in findings}
    assert levels == {
        "Database": WARN, "SECRET_KEY": WARN, "PUBLIC_URL": FAIL, "Secure cookies": FAIL, "ALLOWED_HOSTS": OK,
        "Web workers": WARN, "FORWARDED_ALLOW_IPS": OK, "SMTP": WARN, "DEBUG": OK, "Media folder": OK, "Data folder": OK,
    }
    text = "\n".join(finding.line() for finding in findings)
    assert "WARN  Database: SQLite: fine on one machine with light use; production runs on PostgreSQL" in text
    assert f"the key generated in {tmp_path / 'secret_key'} is used" in text
    assert "FAIL  PUBLIC_URL: not set (so http://127.0.0.1:8000)" in text
    assert "WARN  SMTP: SMTP_HOST not set: reminder e-mails are written to the log" in text


def test_each_weakness_fails_or_warns_on_its_own(tmp_path: Path):
    good = _production(tmp_path)
    file = tmp_path / "a-file"
    file.write_text("")
    cases = [
        ({"SECRET_KEY": "change-me"}, {"SECRET_KEY": FAIL}),
        ({"SECRET_KEY": "short-but-random-9f3k"}, {"SECRET_KEY": FAIL}),
        ({"PUBLIC_URL": "http://ocop.sct.gov.vn"}, {"PUBLIC_URL": FAIL, "Secure cookies": FAIL}),
        ({"DEBUG": "1"}, {"DEBUG": FAIL}),
        ({"ALLOWED_HOSTS": "other.gov.vn"}, {"ALLOWED_HOSTS": FAIL}),
        ({"ALLOWED_HOSTS": "*"}, {"ALLOWED_HOSTS": WARN}),
        ({"FORWARDED_ALLOW_IPS": ""}, {"FORWARDED_ALLOW_IPS": WARN}),
        ({"FORWARDED_ALLOW_IPS": "*"}, {"FORWARDED_ALLOW_IPS": WARN}),
        ({"WEB_CONCURRENCY": "1"}, {"Web workers": WARN}),
        ({"SMTP_HOST": ""}, {"SMTP": WARN}),
        ({"MAIL_FROM": ""}, {"SMTP": WARN}),
        ({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}, {"Database": WARN}),
        ({"MEDIA_DIR": str(file / "media")}, {"Media folder": FAIL}),
    ]
    for change, expected in cases:
        levels = _levels(good | change)
        assert {topic: level for topic, level in levels.items() if level != OK} == expected, change


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("PYTEST_XDIST_WORKER", "SECRET_KEY")} | env
    return subprocess.run([sys.executable, "-m", "events_app", "check"], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=60)


def test_check_on_the_migrated_database(database, tmp_path: Path):
    env = _production(tmp_path) | {"DATABASE_URL": URL}
    worker = None
    if ON_POSTGRES:  # a worker heard from a moment ago, as procrastinate records it
        worker = asyncio.run(admin(URL, "INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id"))[0][0]["id"]
    try:
        result = _check(env)
    finally:
        if worker is not None:
            asyncio.run(admin(URL, f"DELETE FROM procrastinate_workers WHERE id = {int(worker)}"))
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout + result.stderr
    assert [line for line in lines if line.startswith("OK    Migrations: all ") and line.endswith(" applied")]
    if ON_POSTGRES:
        assert [line for line in lines if re.fullmatch(r"OK    Job queue: \d+ worker\(s\) heard from in the last 60 s", line)]
        assert [line for line in lines if line.startswith("OK    Backup tools: ")]
        assert lines[-1] == "0 FAIL, 0 WARN, 14 OK."
    else:
        assert "OK    Job queue: local: the web process makes printed catalogues itself (SQLite)" in lines
        assert lines[-1] == "0 FAIL, 1 WARN, 12 OK."  # SQLite

    bare = _check({"DATABASE_URL": URL, "DATA_DIR": str(tmp_path), "PUBLIC_URL": "", "DEBUG": "yes"})
    assert bare.returncode == 1
    assert "FAIL  DEBUG: on: error pages show the code and its data; unset DEBUG" in bare.stdout.splitlines()


def test_check_names_migrations_not_run_and_a_missing_job_queue(tmp_path: Path):
    if ON_POSTGRES:
        name = f"{database_name(URL)}_unmigrated"
        url = asyncio.run(create_database(maintenance_url(URL), name))
    else:
        url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    try:
        result = _check(_production(tmp_path) | {"DATABASE_URL": url})
    finally:
        if ON_POSTGRES:
            asyncio.run(drop_databases(maintenance_url(URL), name))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    migrations = [line for line in lines if line.startswith("FAIL  Migrations: ")]
    assert len(migrations) == 1 and re.fullmatch(r"FAIL  Migrations: (\d+) of \1 not applied \(\w+ [\dT:-]+…\): "
                                                 r"run `events-app migrate`", migrations[0]), lines
    if ON_POSTGRES:
        assert "FAIL  Job queue: procrastinate's tables are missing: run `events-app migrate`" in lines


def test_check_reports_an_unreachable_database_among_its_lines(tmp_path: Path):
    env = _production(tmp_path) | {"DATABASE_URL": "postgresql://ocop@127.0.0.1:1/ocop"}
    result = _check(env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ("FAIL  Database: PostgreSQL is not accepting connections at 127.0.0.1:1 (connection refused): is it "
            "running? (migrations and the job queue not checked)") in result.stdout.splitlines()
    assert "OK    SECRET_KEY: set, 36 characters" in result.stdout
