"""Timelines: the meetings that discussed a topic, as a chart with one series per council and a meeting list.

A point is one meeting (council, committee, date) and its height the number of the topic's
passages from it; choosing a meeting in the list, or brushing a span of dates on the chart,
shows those meetings' passages.
"""

from __future__ import annotations

from datetime import date as Date

import pandas as pd

from assistant.answer import human_date
from assistant.retrieve import Hit

COLUMNS = ["date", "council", "passages", "meeting", "key"]


def meeting_key(hit: Hit) -> str:
    """The key of a hit's meeting: 'date|council|committee', blank for an unknown council or committee."""
    p = hit.passage
    return f"{p.date}|{p.council or ''}|{p.committee or ''}"


def meetings(hits: list[Hit]) -> pd.DataFrame:
    """One row per dated meeting among the hits, oldest first."""
    rows: dict[str, dict] = {}
    for h in hits:
        p = h.passage
        if not p.date:
            continue  # an undated record has no place on a timeline
        key = meeting_key(h)
        row = rows.setdefault(key, {"date": pd.Timestamp(p.date), "council": p.council or "Unknown council",
                                    "passages": 0, "key": key,
                                    "meeting": f"{human_date(p.date)} · {p.committee or 'unknown committee'} · "
                                               f"{p.council or 'unknown council'}"})
        row["passages"] += 1
    frame = pd.DataFrame(list(rows.values()), columns=COLUMNS)
    return frame.sort_values("date").reset_index(drop=True) if len(frame) else frame


def choices(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """The meeting list's choices: (the meeting and its number of passages, its key), one per row of `frame`."""
    return [(f"{r.meeting} ({r.passages})", r.key) for r in frame.itertuples()]


def of_meeting(hits: list[Hit], key: str | None) -> list[Hit]:
    """The hits from the meeting with `key`; none when no meeting is chosen."""
    return [h for h in hits if key and meeting_key(h) == key]


def in_span(hits: list[Hit], start, end) -> list[Hit]:
    """The hits from meetings between two chart positions (milliseconds or date strings, as Gradio sends them)."""
    def day(value) -> str:
        """A chart position as an ISO date: milliseconds since the epoch, or a date string cut to ten characters."""
        if isinstance(value, (int, float)):
            return Date.fromtimestamp(value / 1000).isoformat()
        return str(value)[:10]

    low, high = sorted((day(start), day(end)))
    return [h for h in hits if h.passage.date and low <= h.passage.date <= high]
