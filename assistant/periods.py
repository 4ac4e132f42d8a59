"""Dates typed by a person as the ends of a search period: "2021", "2019-2021", "2021-06", "2021-06-08".

Strict on purpose: a value is one of those four shapes or it is refused with a message naming it.
Nothing is guessed, and nothing is taken from today's date: "2021" in From means 2021-01-01 and
in To 2021-12-31, "2021-06" the first or last day of June 2021. Used by the chat and the CLI.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

SHAPES = "a year (2021), a range of years (2019-2021), a month (2021-06) or a day (2021-06-08)"
_YEAR = re.compile(r"(\d{4})")
_YEARS = re.compile(r"(\d{4})\s*(?:-|–|—|to|\.\.)\s*(\d{4})")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class PeriodError(ValueError):
    """A date that is not one of the accepted shapes, or a From after its To; the message is for people."""


def bounds(text: str) -> tuple[str, str]:
    """The first and last day (ISO) that `text` covers; PeriodError when it is not a date."""
    value = text.strip()
    try:
        if m := _DAY.fullmatch(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return day.isoformat(), day.isoformat()
        if m := _YEARS.fullmatch(value):
            first, last = int(m[1]), int(m[2])
            if first > last:
                raise PeriodError(f"{text.strip()!r}: the first year is after the last")
            return date(first, 1, 1).isoformat(), date(last, 12, 31).isoformat()
        if m := _MONTH.fullmatch(value):
            year, month = int(m[1]), int(m[2])
            last = calendar.monthrange(year, month)[1] if 1 <= month <= 12 else 0
            return date(year, month, 1).isoformat(), date(year, month, last).isoformat()
        if m := _YEAR.fullmatch(value):
            year = int(m[1])
            return date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    except ValueError as err:
        if isinstance(err, PeriodError):
            raise
        raise PeriodError(f"not a date: {text.strip()!r} ({err}); use {SHAPES}") from None
    raise PeriodError(f"not a date: {text.strip()!r}; use {SHAPES}")


def since(text: str | None) -> str | None:
    """The first day a From value covers; None when empty."""
    return bounds(text)[0] if text and text.strip() else None


def until(text: str | None) -> str | None:
    """The last day a To value covers; None when empty."""
    return bounds(text)[1] if text and text.strip() else None


def period(since_text: str | None, until_text: str | None) -> tuple[str | None, str | None]:
    """(since, until) ISO dates from the two boxes. A range of years typed in From alone ("2019-2021")
    covers the whole range. PeriodError when either is not a date or From comes after To."""
    first = since(since_text)
    last = until(until_text)
    if last is None and since_text and _YEARS.fullmatch(since_text.strip()):
        last = bounds(since_text)[1]
    if first and last and first > last:
        raise PeriodError(f"From ({first}) is after To ({last})")
    return first, last
