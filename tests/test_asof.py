"""The one "as of" rule (okrdata.asof): today, unless the data's newest check-in is older than
``stale_data_days``; then that day, and every surface says so in one sentence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from okrdata import views
from okrdata.asof import data_date
from okrdata.calendar import quarter_bounds, quarter_of
from okrdata.cli import main
from okrdata.config import Config, load_config
from okrdata.model import Dataset
from okrdata.snapshot import build
from tests.builders import old_company

ROOT = Path(__file__).resolve().parents[1]
TODAY = pd.Timestamp.today().normalize()


def note_for(newest: pd.Timestamp, days: int) -> str:
    return f"Data as of {newest:%d %b %Y}, {days} days ago."


def test_old_data_is_shown_as_of_its_newest_checkin():
    newest = TODAY - pd.Timedelta(days=20)
    ds = old_company(newest).dataset()
    snap = build(ds, today=TODAY)
    assert snap.as_of == newest and snap.quarter == quarter_of(newest)
    opts = views.options(ds, today=TODAY)
    assert (opts.default_quarter, opts.default_as_of) == (snap.quarter, newest)
    assert opts.data_note == snap.data_date.note() == note_for(newest, 20)


def test_data_within_the_setting_is_shown_as_of_today():
    newest = TODAY - pd.Timedelta(days=7)  # 7 days old is not older than 7 days
    ds = old_company(newest).dataset()
    snap = build(ds, today=TODAY)
    assert snap.as_of == min(TODAY, quarter_bounds(snap.quarter)[1])
    assert snap.data_date.note() is None and views.options(ds, today=TODAY).data_note is None


def test_the_setting_decides_how_old_is_old(tmp_path):
    newest = TODAY - pd.Timedelta(days=20)
    ds = old_company(newest).dataset()
    (tmp_path / "okr.toml").write_text("stale_data_days = 30\n")
    config = load_config(tmp_path / "okr.toml")
    assert config.stale_data_days == 30 and Config().stale_data_days == 7
    assert data_date(ds, TODAY, config).day == TODAY
    assert data_date(ds, TODAY, Config(stale_data_days=19)).day == newest


def test_without_checkins_the_export_day_counts():
    read = TODAY - pd.Timedelta(days=30)
    okrs = pd.DataFrame({"objective_id": ["O1"], "objective": ["O"], "quarter": [quarter_of(read)],
                         "team": ["A"]})  # fmt: skip
    krs = pd.DataFrame({"kr_id": ["K1"], "objective_id": ["O1"], "key_result": ["K"],
                        "target_value": [10.0], "current_value": [4.0], "current_as_of": [read]})  # fmt: skip
    ds = Dataset.from_frames(objectives=okrs, key_results=krs)
    assert data_date(ds, TODAY).day == read
    assert data_date(ds, TODAY).note() == note_for(read, 30)
    # a check-in dated after today never counts: the data is as of today's export
    future = Dataset.from_frames(
        objectives=okrs, key_results=krs.drop(columns=["current_as_of", "current_value"]),
        checkins=pd.DataFrame({"kr_id": ["K1"], "date": [TODAY + pd.Timedelta(days=3)],
                               "value": [5.0]}),
    )  # fmt: skip
    assert data_date(future, TODAY).day == TODAY


def test_cli_report_and_signals_use_the_rule_and_say_so(tmp_path, capsys):
    newest = TODAY - pd.Timedelta(days=20)
    c = old_company(newest)
    folder = c.write_csvs(tmp_path / "old")
    out = tmp_path / "report.html"
    assert main(["report", "--data", str(folder), "--out", str(out)]) == 0
    assert note_for(newest, 20) in capsys.readouterr().err
    html = out.read_text()
    assert f"As of {newest:%d %b %Y}:" in html and note_for(newest, 20) in html
    b = views.base(c.dataset(), None, None, today=TODAY)
    cards = re.findall(r"<b>([^<]*)</b><span>([^<]*)</span>", html)
    assert [(label, value) for value, label in cards] == list(
        views.overview(b, views.Filters(b.quarter)).headline.items()
    )
    assert main(["signals", "--data", str(folder), "--format", "json"]) == 0
    printed = capsys.readouterr()
    assert printed.err.strip() == f"note: {note_for(newest, 20)}"
    cli = pd.DataFrame(json.loads(printed.out))
    app = views.signals_table(b, views.Filters(b.quarter))
    assert cli["evidence"].tolist() == app["evidence"].tolist()
    assert "stale_checkins" not in set(cli["signal"])  # the data's own day: nobody is silent


def test_report_on_the_sample_folder_uses_the_apps_day(tmp_path, capsys):
    """`report --data sample_data` and the app (the bundled sample) show the same day."""
    out = tmp_path / "report.html"
    assert main(["report", "--data", str(ROOT / "sample_data"), "--out", str(out)]) == 0
    newest = pd.Timestamp("2026-11-16")  # the sample's last check-in, 20 days before 6 Dec 2026
    assert TODAY - newest > pd.Timedelta(days=7)  # the clock only moves on: the data stays old
    assert f"As of {newest:%d %b %Y}:" in out.read_text()
    assert note_for(newest, (TODAY - newest).days) in capsys.readouterr().err


@pytest.mark.parametrize("days", [1, 8])
def test_the_sentence_counts_days(days):
    newest = TODAY - pd.Timedelta(days=days)
    note = data_date(old_company(newest).dataset(), TODAY, Config(stale_data_days=0)).note()
    assert note == (f"Data as of {newest:%d %b %Y}, 1 day ago." if days == 1
                    else note_for(newest, days))  # fmt: skip
