"""Officer sign-in for the chat: the /login form, a session cookie, and the role each request reads.

Anyone who has not signed in is the public role. An officer signs in at /login with a name and a
password checked against salted hashes (`assistant.officers`); the server keeps a random session
token in memory (a restart signs everyone out) and the browser a cookie holding only that token,
HttpOnly and SameSite=Strict (so another site's page cannot act with it). Every event handler,
API endpoint and Open record route asks `Sessions.role(request)` about its own request: a role is
never taken from anything else the client sends.

Logged to the "assistant.audit" logger: sign-ins (name, client address), failed attempts (the name
tried, client address), sign-outs and refusals; never a password or a question.
"""

from __future__ import annotations

import html
import logging
import secrets
import threading
import time

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from assistant.officers import Officers

COOKIE = "minutebook_session"
SESSION_SECONDS = 8 * 3600  # a working day
MAX_FAILURES = 5  # failed sign-ins from one address within FAILURE_WINDOW before it is refused for the rest of it
FAILURE_WINDOW = 15 * 60
OFFICER, PUBLIC = "officer", "public"
audit = logging.getLogger("assistant.audit")
POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
STYLE = ("body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#111827}"
         "label{display:block;margin:.8rem 0 .2rem;font-weight:600}input{font:inherit;width:100%;padding:.4rem}"
         "button{font:inherit;margin-top:1rem;padding:.5rem 1.2rem;background:#1e40af;color:#fff;border:0}"
         ".problem{color:#991b1b}a{color:#1e40af}")


class Sessions:
    """Signed-in officers by session token, and failed sign-ins by client address."""

    def __init__(self, officers: Officers | None = None, seconds: int = SESSION_SECONDS) -> None:
        self.officers = officers or Officers()
        self.seconds = seconds
        self._live: dict[str, tuple[str, float]] = {}  # token → (officer, expiry)
        self._failures: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def start(self, name: str) -> str:
        """A new random session token for officer `name`, live for `seconds`."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._live[token] = (name, time.time() + self.seconds)
        return token

    def end(self, token: str | None) -> str | None:
        """End the session of `token`: the officer it was for, or None when no such session is held."""
        with self._lock:
            found = self._live.pop(token or "", None)
        return found[0] if found else None

    def officer(self, request) -> str | None:
        """The officer signed in on `request` (a gr.Request, a Starlette request or None), or None."""
        token = cookies_of(request).get(COOKIE)
        with self._lock:
            found = self._live.get(token or "")
            if found and found[1] < time.time():
                del self._live[token]
                found = None
        return found[0] if found else None

    def role(self, request) -> str:
        """OFFICER when `request` carries a live officer session, else PUBLIC."""
        return OFFICER if self.officer(request) else PUBLIC

    def refused(self, client: str) -> bool:
        """Too many failed sign-ins from `client` lately."""
        now = time.time()
        with self._lock:
            recent = [t for t in self._failures.get(client, []) if now - t < FAILURE_WINDOW]
            self._failures[client] = recent
        return len(recent) >= MAX_FAILURES

    def failed(self, client: str) -> None:
        """Count a failed sign-in from `client` (see `refused`)."""
        with self._lock:
            self._failures.setdefault(client, []).append(time.time())


def cookies_of(request) -> dict:
    """The cookies a request carried, whatever kind of request object Gradio or FastAPI handed over."""
    if request is None:
        return {}
    try:
        return dict(getattr(request, "cookies", None) or {})
    except (AttributeError, TypeError, ValueError):
        return {}


def role_of(sessions: Sessions | None, request) -> str:
    """The role of a request; without sign-in set up, everyone is public."""
    return sessions.role(request) if sessions is not None else PUBLIC


def client_of(request: Request) -> str:
    """The client address of a request, for the audit log and the sign-in limit; "unknown" without one."""
    return request.client.host if request.client else "unknown"


def login_page(problem: str = "", status: int = 200, enabled: bool = True) -> HTMLResponse:
    """The sign-in form with `problem` (escaped) above it, or a note that sign-in is not set up; strict
    content security policy, never cached."""
    if not enabled:
        body = ("<p>Officer sign-in is not set up on this server (see README: Security and data).</p>"
                "<p><a href='/'>Back to the chat</a> (public records)</p>")
    else:
        note = f"<p class='problem' role='alert'>{html.escape(problem)}</p>" if problem else ""
        body = (f"{note}<form method='post' action='/login'>"
                "<label for='name'>Name</label><input id='name' name='name' autocomplete='username' required>"
                "<label for='password'>Password</label>"
                "<input id='password' name='password' type='password' autocomplete='current-password' required>"
                "<button type='submit'>Sign in</button></form>"
                "<p><a href='/'>Back to the chat</a> without signing in (public records only)</p>")
    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Officer sign-in — Minute Book</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{STYLE}</style></head>"
            f"<body><h1>Officer sign-in</h1>{body}</body></html>")
    return HTMLResponse(page, status_code=status, headers={"Content-Security-Policy": POLICY, "Cache-Control": "no-store"})


def add_routes(app: FastAPI, sessions: Sessions) -> None:
    """GET/POST /login and POST /logout."""

    async def show(request: Request) -> Response:
        """GET /login: the form, or a note that sign-in is not set up."""
        return login_page(enabled=bool(sessions.officers))

    async def sign_in(request: Request) -> Response:
        """POST /login: a session cookie and back to the chat, or the form again (401; 429 refused; 404 not set up)."""
        client = client_of(request)
        if not sessions.officers:
            return login_page(enabled=False, status=404)
        if sessions.refused(client):
            audit.warning("sign-in refused: too many failures from %s", client)
            return login_page("Too many failed attempts. Try again in a few minutes.", 429)
        form = await request.form()
        name, password = str(form.get("name") or "")[:64], str(form.get("password") or "")
        if not sessions.officers.check(name, password):
            sessions.failed(client)
            audit.warning("sign-in failed for %r from %s", name, client)
            return login_page("Name or password not recognised.", 401)
        token = sessions.start(name)
        audit.info("signed in: %s from %s", name, client)
        response = RedirectResponse("/", status_code=303)
        secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
        response.set_cookie(COOKIE, token, max_age=sessions.seconds, httponly=True, samesite="strict", secure=secure,
                            path="/")
        return response

    async def sign_out(request: Request) -> Response:
        """POST /logout: end the session, delete its cookie and go back to the chat."""
        name = sessions.end(cookies_of(request).get(COOKIE))
        if name:
            audit.info("signed out: %s from %s", name, client_of(request))
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    app.add_api_route("/login", show, methods=["GET"], include_in_schema=False)
    app.add_api_route("/login", sign_in, methods=["POST"], include_in_schema=False)
    app.add_api_route("/logout", sign_out, methods=["POST"], include_in_schema=False)


def officers_only_uploads(app: FastAPI, sessions: Sessions) -> None:
    """Gradio takes file uploads at …/upload for any visitor; only an officer may send files."""

    @app.middleware("http")
    async def guard(request: Request, call_next):
        """Refuse (403) a POST to Gradio's upload route unless it comes from a signed-in officer."""
        if request.method == "POST" and request.url.path.rstrip("/").endswith("/upload") \
                and sessions.role(request) != OFFICER:
            audit.warning("upload refused: not signed in as an officer (%s)", client_of(request))
            return Response("Only a signed-in officer can upload records.", status_code=403)
        return await call_next(request)


def account_html(name: str | None, enabled: bool) -> str:
    """The line above the chat saying who is reading: the public, or a signed-in officer."""
    if name:
        return (f"<div class='account' role='status'>Signed in as <b>{html.escape(name)}</b> (officer: restricted "
                f"records shown, marked RESTRICTED) <form method='post' action='/logout' style='display:inline'>"
                f"<button type='submit' class='signout'>Sign out</button></form></div>")
    link = " · <a href='/login'>Officer sign-in</a>" if enabled else ""
    return f"<div class='account' role='status'>Public access: published records only{link}</div>"
