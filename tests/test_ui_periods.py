"""From/To dates as people type them: strict shapes, whole years and months, never today's month or day."""

from __future__ import annotations

import pytest

from assistant.periods import PeriodError, bounds, period
from conftest import run_cli


@pytest.mark.parametrize("typed, first, last", [
    ("2021", "2021-01-01", "2021-12-31"),
    (" 2021 ", "2021-01-01", "2021-12-31"),
    ("2019-2021", "2019-01-01", "2021-12-31"),
    ("2019–2021", "2019-01-01", "2021-12-31"),
    ("2021-06", "2021-06-01", "2021-06-30"),
    ("2024-02", "2024-02-01", "2024-02-29"),
    ("2021-06-08", "2021-06-08", "2021-06-08"),
])
def test_a_typed_period_covers_whole_years_months_and_days(typed, first, last):
    assert bounds(typed) == (first, last)


@pytest.mark.parametrize("typed", ["2021-13-45", "2021-13", "2021-02-30", "June 2021", "21", "20211", "2021/06/08",
                                   "yesterday", "2022-2019"])
def test_a_bad_date_is_refused_with_the_value_named(typed):
    with pytest.raises(PeriodError) as err:
        bounds(typed)
    assert repr(typed) in str(err.value)


def test_a_year_in_from_and_to_is_the_whole_year_not_one_day():
    assert period("2021", "2021") == ("2021-01-01", "2021-12-31")


def test_a_range_of_years_in_from_alone_covers_the_range():
    assert period("2019-2021", "") == ("2019-01-01", "2021-12-31")


def test_from_after_to_is_refused():
    with pytest.raises(PeriodError, match="is after"):
        period("2022", "2021-06")


def test_cli_reads_a_year_as_the_whole_year(seeds_index):
    import json

    out = run_cli("search", "performance documents", "--index", str(seeds_index), "--since", "2021", "--until", "2021",
                  "--json", "-k", "10")
    assert out.returncode == 0, out.stderr
    dates = [r["date"] for r in json.loads(out.stdout)["results"]]
    assert dates and all(d and d.startswith("2021-") for d in dates), dates  # 2021-12-01..2021-12-01 found nothing


@pytest.mark.parametrize("args, named", [(["--since", "2021-13-45"], "'2021-13-45'"), (["--until", "soon"], "'soon'"),
                                         (["--since", "2022", "--until", "2021"], "is after")])
def test_cli_bad_date_is_a_usage_error_naming_it(seeds_index, args, named):
    out = run_cli("search", "x", "--index", str(seeds_index), *args)
    assert out.returncode == 2 and named in out.stderr and "Traceback" not in out.stderr, out.stderr
