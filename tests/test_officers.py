"""Officer sign-in: hashes not passwords, a session only from /login, failures counted, nothing in code (issue 18)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import run_cli

from assistant import officers
from assistant.officers import CredentialError, Officers
from assistant.ui import login
from assistant.ui.login import COOKIE, Sessions

PASSWORD = "correct horse battery staple"


@pytest.fixture
def roster(tmp_path):
    file = tmp_path / "officers.txt"
    officers.add(file, "clerk", PASSWORD)
    return file


def test_the_officers_file_holds_a_salted_hash_never_the_password(roster):
    text = roster.read_text()
    assert PASSWORD not in text and "clerk:$2b$" in text
    assert oct(roster.stat().st_mode & 0o777) == "0o600"
    officers.add(roster.parent / "other.txt", "clerk", PASSWORD)
    assert (roster.parent / "other.txt").read_text().split("clerk:")[1] != text.split("clerk:")[1]  # salted


def test_only_the_right_password_signs_in(roster):
    roll = Officers.from_environment(roster)
    assert roll.check("clerk", PASSWORD)
    assert not roll.check("clerk", PASSWORD + "!") and not roll.check("clerk", "")
    assert not roll.check("nobody", PASSWORD)


@pytest.mark.parametrize("name, password, problem", [
    ("clerk", "short", "at least"),
    ("../etc", PASSWORD, "a name is"),
    ("clerk", "é" * 40, "at most 72 bytes"),
])
def test_unusable_names_and_passwords_are_refused(tmp_path, name, password, problem):
    with pytest.raises(CredentialError, match=problem):
        officers.add(tmp_path / "officers.txt", name, password)


def test_officers_can_come_from_an_environment_variable(monkeypatch):
    entry = f"deputy:{officers.hash_password(PASSWORD)}"
    monkeypatch.setenv(officers.ENTRIES_VARIABLE, entry)
    monkeypatch.delenv(officers.FILE_VARIABLE, raising=False)
    assert Officers.from_environment().check("deputy", PASSWORD)
    monkeypatch.setenv(officers.ENTRIES_VARIABLE, "deputy:plaintext-password")
    with pytest.raises(CredentialError):
        Officers.from_environment()


def test_the_command_line_adds_lists_and_removes_officers(tmp_path):
    import subprocess

    from conftest import PYTHON, ROOT

    file = tmp_path / "officers.txt"
    added = subprocess.run([PYTHON, "-m", "assistant", "officers", "add", "clerk", "--file", str(file)], cwd=ROOT,
                           input=PASSWORD + "\n", capture_output=True, text=True)
    assert added.returncode == 0 and "added clerk" in added.stdout and PASSWORD not in added.stdout + file.read_text()
    assert Officers.from_environment(file).check("clerk", PASSWORD)
    assert run_cli("officers", "list", "--file", str(file)).stdout.split() == ["clerk"]
    assert run_cli("officers", "remove", "clerk", "--file", str(file)).returncode == 0
    assert run_cli("officers", "list", "--file", str(file)).stdout.strip() == "no officers"
    assert run_cli("officers", "add", "clerk").returncode == 2  # which file?


@pytest.fixture
def client(roster):
    sessions = Sessions(Officers.from_environment(roster))
    app = FastAPI()
    login.add_routes(app, sessions)

    @app.get("/whoami")
    def whoami(request: login.Request) -> dict:
        return {"role": sessions.role(request), "officer": sessions.officer(request)}

    return TestClient(app, follow_redirects=False), sessions


def test_signing_in_gives_an_officer_session_and_signing_out_ends_it(client):
    http, _ = client
    assert http.get("/whoami").json() == {"role": "public", "officer": None}
    signed = http.post("/login", data={"name": "clerk", "password": PASSWORD})
    assert signed.status_code == 303
    cookie = signed.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert http.get("/whoami").json() == {"role": "officer", "officer": "clerk"}
    http.post("/logout")
    token = signed.cookies[COOKIE]
    http.cookies.set(COOKIE, token)  # the old cookie, kept by an attacker, no longer works
    assert http.get("/whoami").json()["role"] == "public"


def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_address_out(client, caplog):
    http, _ = client
    with caplog.at_level("INFO", logger="assistant.audit"):
        for _ in range(login.MAX_FAILURES):
            assert http.post("/login", data={"name": "clerk", "password": "guess"}).status_code == 401
        locked = http.post("/login", data={"name": "clerk", "password": PASSWORD})
    assert locked.status_code == 429 and COOKIE not in locked.cookies
    assert sum("sign-in failed for 'clerk'" in r.getMessage() for r in caplog.records) == login.MAX_FAILURES
    assert not any("guess" in r.getMessage() or PASSWORD in r.getMessage() for r in caplog.records)


def test_an_expired_session_is_public(roster):
    sessions = Sessions(Officers.from_environment(roster), seconds=-1)
    token = sessions.start("clerk")
    assert sessions.role({"cookies": {}}) == "public"

    class Request:
        cookies = {COOKIE: token}
    assert sessions.officer(Request()) is None


def test_without_officers_signing_in_is_not_offered():
    sessions = Sessions()
    app = FastAPI()
    login.add_routes(app, sessions)
    http = TestClient(app)
    assert "not set up" in http.get("/login").text
    assert http.post("/login", data={"name": "clerk", "password": PASSWORD}).status_code == 404
