"""Officer credentials: names with salted bcrypt hashes, never passwords, and never in code.

Read from a file of `name:hash` lines (`ASSISTANT_OFFICERS_FILE`, or `app.py --officers FILE`) and
from the environment variable `ASSISTANT_OFFICERS` (the same `name:hash` entries, separated by
whitespace or `;`), so a container can be given them without a file. Written by
`python -m assistant officers add NAME`, which reads the password without echoing it.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

import bcrypt

FILE_VARIABLE = "ASSISTANT_OFFICERS_FILE"
ENTRIES_VARIABLE = "ASSISTANT_OFFICERS"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72  # bcrypt reads no further; a longer password would be silently cut
ROUNDS = 12  # about a quarter of a second a check: cheap for a login, dear for guessing


class CredentialError(ValueError):
    """A name or password that cannot be used; the message says why."""


def hash_password(password: str) -> str:
    """A salted bcrypt hash of `password`; CredentialError when it has fewer than MIN_PASSWORD characters or
    more than MAX_PASSWORD_BYTES bytes."""
    data = password.encode("utf-8")
    if len(password) < MIN_PASSWORD:
        raise CredentialError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(data) > MAX_PASSWORD_BYTES:
        raise CredentialError(f"the password must be at most {MAX_PASSWORD_BYTES} bytes")
    return bcrypt.hashpw(data, bcrypt.gensalt(ROUNDS)).decode("ascii")


def parse(text: str, where: str) -> dict[str, str]:
    """name → hash from `name:hash` entries (lines, or words of an environment variable); bad ones are named."""
    found: dict[str, str] = {}
    entries = [e for line in text.splitlines() if not line.lstrip().startswith("#") for e in re.split(r"[\s;]+", line)]
    for entry in filter(None, entries):
        name, _, hashed = entry.partition(":")
        if not NAME.match(name) or not hashed.startswith("$2"):
            raise CredentialError(f"{where}: an entry is not NAME:BCRYPT-HASH")
        found[name] = hashed
    return found


class Officers:
    """Who may sign in as an officer."""

    def __init__(self, hashes: dict[str, str] | None = None) -> None:
        self.hashes = dict(hashes or {})

    @classmethod
    def from_environment(cls, file: str | Path | None = None) -> "Officers":
        """The officers of `file` (default: $ASSISTANT_OFFICERS_FILE) and of $ASSISTANT_OFFICERS."""
        hashes: dict[str, str] = {}
        file = file or os.environ.get(FILE_VARIABLE) or None
        if file:
            try:
                hashes.update(parse(Path(file).read_text(encoding="utf-8"), str(file)))
            except OSError as err:
                raise CredentialError(f"cannot read the officers file {file}: {err.strerror or err}") from None
        hashes.update(parse(os.environ.get(ENTRIES_VARIABLE, ""), ENTRIES_VARIABLE))
        return cls(hashes)

    def __bool__(self) -> bool:
        return bool(self.hashes)

    def check(self, name: str, password: str) -> bool:
        """True when `password` is `name`'s; as slow for an unknown name as for a known one."""
        data = (password or "").encode("utf-8")[:MAX_PASSWORD_BYTES]
        hashed = self.hashes.get(name or "")
        # an unknown name is checked against a throwaway hash, so timing does not tell which names exist
        ok = bcrypt.checkpw(data, (hashed or _dummy_hash()).encode("ascii"))
        return ok and hashed is not None


@functools.cache
def _dummy_hash() -> str:
    return bcrypt.hashpw(b"no such officer", bcrypt.gensalt(ROUNDS)).decode("ascii")


def add(file: Path, name: str, password: str) -> bool:
    """Write `name`'s hash into `file` (created owner-only), replacing an earlier one; True when it replaced."""
    if not NAME.match(name or ""):
        raise CredentialError("a name is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
    entries = _read(file)
    replaced = name in entries
    entries[name] = hash_password(password)
    _write(file, entries)
    return replaced


def remove(file: Path, name: str) -> bool:
    """Take `name` out of `file`; False (the file left as it was) when it was not there."""
    entries = _read(file)
    if name not in entries:
        return False
    del entries[name]
    _write(file, entries)
    return True


def names(file: Path) -> list[str]:
    """The officers' names in `file`, sorted; none when the file does not exist."""
    return sorted(_read(file))


def _read(file: Path) -> dict[str, str]:
    return parse(file.read_text(encoding="utf-8"), str(file)) if file.exists() else {}


def _write(file: Path, entries: dict[str, str]) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    temporary = file.with_name(file.name + ".new")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write("# Minute Book officers: name:bcrypt-hash (python -m assistant officers add NAME)\n")
        out.writelines(f"{n}:{h}\n" for n, h in sorted(entries.items()))
    os.replace(temporary, file)
