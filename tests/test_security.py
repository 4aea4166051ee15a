"""Security: DuckDB locked down, formula-safe downloads, and single sign-on with analysts only."""

from __future__ import annotations

import io
import json
import subprocess
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from okrdata import db, export, templates
from okrdata.ingest import load, load_dir
from okrdata.store import Store
from tests.builders import run_main

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
DANGEROUS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
             "\t=1", "\r=1"]  # fmt: skip


# DuckDB ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "install httpfs",
        "load httpfs",
        "set enable_external_access = true",
        "set lock_configuration = false",
        "set allowed_directories = ['/']",
    ],
)
def test_connection_refuses_extensions_and_config_changes(statement):
    con = db.connect()
    with pytest.raises(duckdb.Error):
        con.execute(statement)


def test_connection_reads_no_file_outside_its_folders(tmp_path):
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir(), outside.mkdir()
    (inside / "a.csv").write_text("x\n1\n")
    (outside / "b.csv").write_text("x\n2\n")
    con = db.connect(allowed_dirs=[inside])
    assert con.execute("select x from read_csv($p)", {"p": str(inside / "a.csv")}).fetchall() == [
        (1,)
    ]
    with pytest.raises(duckdb.Error):
        con.execute("select * from read_csv($p)", {"p": str(outside / "b.csv")}).fetchall()
    with pytest.raises(duckdb.Error):
        con.execute("select * from read_csv('/etc/passwd')").fetchall()


def test_the_store_connection_is_locked_too(tmp_path):
    store = Store(tmp_path / "okr.duckdb")
    with pytest.raises(duckdb.Error):
        store.cursor().execute("set enable_external_access = true")
    with pytest.raises(duckdb.Error):
        store.cursor().execute("select * from read_csv('/etc/passwd')").fetchall()
    store.close()


# Downloads --------------------------------------------------------------------------------------


def _risky_objectives() -> pd.DataFrame:
    okrs = pd.read_csv(ROOT / "sample_data" / "okrs.csv", dtype=str, keep_default_na=False)
    q4 = okrs[okrs["quarter"] == "2026-Q4"].copy()
    ids = q4["objective_id"].drop_duplicates().tolist()[: len(DANGEROUS)]
    for oid, text in zip(ids, DANGEROUS, strict=True):
        q4.loc[q4["objective_id"] == oid, "objective"] = text
    return q4


def _no_cell_starts_a_formula(frame: pd.DataFrame) -> None:
    text = frame.select_dtypes(exclude="number").astype("string").stack()
    assert not text.str.startswith(export.DANGEROUS).any(), text[text.str.startswith(
        export.DANGEROUS)].tolist()  # fmt: skip


@pytest.mark.parametrize("cell", DANGEROUS)
def test_table_download_neutralises_each_formula_start(cell):
    data = export.to_csv(pd.DataFrame({"title": [cell], "value": [-1.5]}))
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert frame["title"].iloc[0].startswith("'")
    assert frame["value"].iloc[0] == -1.5  # numbers stay numbers


def test_data_in_force_download_neutralises_titles():
    ds = load(
        [("okrs.csv", _risky_objectives().to_csv(index=False, lineterminator="\r\n").encode())]
    ).dataset
    with zipfile.ZipFile(io.BytesIO(templates.dataset_zip(ds))) as zf:
        okrs = pd.read_csv(zf.open("okrs.csv"), encoding="utf-8-sig", dtype=str)
    assert set(okrs["objective"]) >= {"'" + c for c in DANGEROUS[:4]}
    _no_cell_starts_a_formula(okrs)


def test_validation_report_download_neutralises_values():
    bad = pd.DataFrame({"objective_id": ["O-1"], "objective": ["x"], "quarter": ["2026-Q4"],
                        "team": ["A"], "kr_id": ["K-1"], "key_result": ["k"],
                        "target_value": ["=1+1"]})  # fmt: skip
    report = load([("okrs.csv", bad.to_csv(index=False).encode())]).report
    frame = pd.read_csv(io.BytesIO(export.to_csv(report.to_frame())), encoding="utf-8-sig")
    assert "'=1+1" in set(frame["value"])
    _no_cell_starts_a_formula(frame)


def _cli(*args: str) -> subprocess.CompletedProcess:
    """The command line in this process (``run_main``)."""
    return run_main(*args)


def test_signals_csv_from_the_cli_neutralises_text(tmp_path):
    _risky_objectives().to_csv(tmp_path / "okrs.csv", index=False, lineterminator="\r\n")
    out = _cli("signals", "--data", str(tmp_path), "--as-of", "2026-11-20", "--format", "csv")
    assert out.returncode == 0, out.stderr
    frame = pd.read_csv(io.StringIO(out.stdout), dtype=str, keep_default_na=False)
    assert len(frame) > 0
    _no_cell_starts_a_formula(frame)


def _formula_target(folder: Path) -> str:
    """An okrs file whose one KR has a formula for a target."""
    path = folder / "okrs.csv"
    path.write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,target_value\n"
        "O-1,x,2026-Q4,A,K-1,k,@SUM(A1)\n"
    )
    return str(path)


def test_validate_csv_from_the_cli_neutralises_values(tmp_path):
    out = _cli("validate", _formula_target(tmp_path), "--format", "csv")
    assert out.returncode == 1
    frame = pd.read_csv(io.StringIO(out.stdout), dtype=str, keep_default_na=False)
    assert "'@SUM(A1)" in set(frame["value"])
    _no_cell_starts_a_formula(frame)


def test_validate_json_keeps_values_as_given(tmp_path):
    out = _cli("validate", _formula_target(tmp_path), "--format", "json")
    assert "@SUM(A1)" in {p.get("value") for p in json.loads(out.stdout)["issues"]}


# Single sign-on -------------------------------------------------------------------------------

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-secret",
        "client_id": "okr-pulse", "client_secret": "test",
        "server_metadata_url": "https://login.example.com/.well-known/openid-configuration"}  # fmt: skip


@pytest.fixture
def sso_app(tmp_path, monkeypatch):
    """The app with ``[auth]`` in its secrets and ana@example.com listed as an analyst."""
    (tmp_path / "okr.toml").write_text('analysts = ["Ana@example.com"]\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OKR_DB", str(tmp_path / "okr.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()

    def make(user: dict) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets["auth"] = AUTH
        at.user.update(user)
        return at

    yield make
    st.cache_resource.clear()
    st.cache_data.clear()


def test_with_sign_on_nothing_shows_before_login(sso_app):
    at = sso_app({"is_logged_in": False}).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.metric and not at.dataframe and not at.sidebar.selectbox


def _upload_and_find_import(at: AppTest) -> AppTest:
    at.switch_page("pages/data.py").run()
    okrs = pd.read_csv(ROOT / "sample_data" / "okrs.csv", dtype=str, keep_default_na=False)
    at.file_uploader[0].upload("okrs.csv", okrs.to_csv(index=False).encode(), "text/csv").run()
    assert not at.exception
    return next(b for b in at.button if b.label == "Import into the store")


@pytest.mark.slow  # CLI round trip: full imports through the command line
def test_with_sign_on_only_analysts_may_import(sso_app):
    viewer = sso_app({"is_logged_in": True, "email": "lee@example.com"}).run()
    assert viewer.title[0].value == "Overview"
    assert _upload_and_find_import(viewer).disabled
    assert "Only analysts may import" in " ".join(w.value for w in viewer.warning)

    analyst = sso_app({"is_logged_in": True, "email": "ana@example.com"}).run()
    button = _upload_and_find_import(analyst)
    assert not button.disabled
    button.click().run()
    assert any(s.value.startswith("Imported batch 1") for s in analyst.success)
    history = Store(Path("okr.duckdb")).history()
    assert history["imported_by"].tolist() == ["ana@example.com"]


def test_without_sign_on_the_sample_loads_for_everyone(tmp_path, monkeypatch):
    monkeypatch.setenv("OKR_DB", str(tmp_path / "okr.duckdb"))
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception and at.title[0].value == "Overview"
    assert load_dir(ROOT / "sample_data").report.ok


# Shipped configuration -------------------------------------------------------------------------


def test_shipped_streamlit_config_hides_errors_and_limits_uploads():
    import tomllib

    from okrdata.config import Config

    conf = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert conf["client"]["showErrorDetails"] == "none"
    assert conf["client"]["disableDataExport"] is True  # downloads go through export.to_csv
    assert conf["browser"]["gatherUsageStats"] is False
    assert conf["server"]["headless"] is True
    assert conf["server"]["maxUploadSize"] == Config().max_upload_mb  # checked again in code


def test_no_secrets_in_the_repository():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()  # fmt: skip
    assert ".streamlit/secrets.toml" not in tracked
    pattern = r"PRIVATE KEY-----|client_secret\s*=\s*\"[^\"]|cookie_secret\s*=\s*\"[^\"]"
    found = subprocess.run(["git", "grep", "-lE", pattern, "--", ".", ":!tests/test_security.py"],
                           cwd=ROOT, capture_output=True, text=True, check=False).stdout  # fmt: skip
    assert found == ""
