"""The tuned numbers live in one table (assistant/settings.py) that the README shows: a newcomer finds every
number that carries answer quality or speed, what it does and what it was chosen on, in one place."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

from assistant import settings

# the stages whose numbers carry answer quality or speed
STAGES = ("cleanup", "metadata", "chunking", "transcripts", "query", "retrieve", "store", "evidence", "answer", "engine")


def test_the_readme_shows_the_settings_table_as_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- settings -->\n", "\n<!-- /settings -->"
    assert start in readme and end in readme, "the README has no settings table between its markers"
    shown = readme.split(start, 1)[1].split(end, 1)[0].strip()
    assert shown == settings.markdown(), "README out of date: paste `python -m assistant settings --markdown`"


def test_every_setting_says_what_it_does_and_what_it_was_chosen_on():
    names = [s.name for s in settings.TABLE]
    assert len(names) == len(set(names))
    for s in settings.TABLE:
        assert s.does.strip() and s.chosen_on.strip(), s.name
        assert getattr(settings, s.name) == s.value
        assert (ROOT / "assistant" / f"{s.stage}.py").exists(), s.name


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_keeps_a_tuned_number_of_its_own(stage):
    tree = ast.parse((ROOT / "assistant" / f"{stage}.py").read_text(encoding="utf-8"))
    own = [target.id for node in tree.body if isinstance(node, ast.Assign)
           and isinstance(node.value, ast.Constant) and type(node.value.value) in (int, float)
           for target in node.targets if isinstance(target, ast.Name) and target.id.isupper()]
    assert not own, f"{stage}.py defines {own}: put tuned numbers in assistant/settings.py"


def test_every_setting_is_used_by_its_stage():
    for s in settings.TABLE:
        source = (ROOT / "assistant" / f"{s.stage}.py").read_text(encoding="utf-8")
        assert s.name in source.replace(f"import {s.name}", ""), f"{s.name} is not used in {s.stage}.py"
