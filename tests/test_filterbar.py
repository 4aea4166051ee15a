"""The filter bar's decisions (``okrdata.filterbar``) on the sample as imported into a store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from okrdata import filterbar, views
from okrdata.calendar import quarter_bounds
from okrdata.config import Config
from okrdata.store import Store

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


@pytest.fixture(scope="module")
def opts(tmp_path_factory) -> views.Options:
    """The filter bar's choices on the sample, read back from a real store."""
    db = tmp_path_factory.mktemp("filterbar") / "okr.duckdb"
    store = Store(db)
    try:
        store.import_files([SAMPLE])
        return views.options(store.dataset(), Config())
    finally:
        store.close()


def test_a_click_on_a_team_opens_it_in_its_own_department(opts):
    department = opts.departments[-1]
    team = opts.teams[department][0]
    assert filterbar.drill_choice(opts, None, team) == {"department": department, "team": team}
    assert filterbar.drill_choice(opts, "", team) == {"department": department, "team": team}


def test_a_click_on_a_department_opens_it_with_every_team(opts):
    department = opts.departments[0]
    assert filterbar.drill_choice(opts, department, None) == {
        "department": department,
        "team": None,
    }


def test_a_team_no_department_lists_opens_without_a_department(opts):
    assert filterbar.drill_choice(opts, None, "Nobody") == {"department": None, "team": "Nobody"}


def test_a_choice_the_data_does_not_offer_is_dropped(opts):
    department = opts.departments[0]
    state: dict[str, object] = {"department": "Not in the data", "team": opts.teams[department][0]}
    filterbar.forget_unoffered(state, "department", opts.departments)
    filterbar.forget_unoffered(state, "team", opts.teams[department])
    assert state == {"department": None, "team": opts.teams[department][0]}
    filterbar.forget_unoffered(state, "team", opts.teams[opts.departments[-1]])
    assert state == {"department": None, "team": None}
    empty: dict[str, object] = {}
    filterbar.forget_unoffered(empty, "team", [])
    assert empty == {}  # no choice yet: the URL's, if any, is left to the widget


def test_the_notes_say_a_past_quarter_is_shown_at_its_end_then_which_data(opts):
    quarter, config = opts.default_quarter, Config()
    end = quarter_bounds(quarter, config.fiscal_start_month)[1]
    assert filterbar.notes(quarter, end, "store", config) == ["Showing the imported data."]
    later = filterbar.notes(quarter, end + pd.Timedelta(days=1), "session", config)
    assert later == [
        views.past_quarter_note(quarter, end + pd.Timedelta(days=1), config),
        "Showing files uploaded in this session (not imported).",
    ]
    assert later[0] is not None and later[0].startswith(f"{quarter} ended on")
