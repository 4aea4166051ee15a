"""Data, for analysts: upload exports, see what is wrong, map columns, import, go back in time."""

import pandas as pd
import streamlit as st

from okrdata import precomputed, questions, templates
from okrdata.model import Dataset
from okrdata.scope import SCOPE_LABELS
from pages import access, cache, common, mapping, uploads

# (changed, refused, message, batch) of the import or restore before the rerun
OUTCOME = "_data_outcome"
# "What each file holds" at widths that keep every column on screen at 1,440 px (the whole
# text on hover)
HELD = {"file": st.column_config.TextColumn("File", width=160),
        "holds": st.column_config.TextColumn("Holds", width=175),
        "rows": st.column_config.NumberColumn("Rows", width=50),
        "columns read": st.column_config.TextColumn("Columns read", width="medium"),
        "not used": st.column_config.TextColumn("Not used", width=120),
        "missing": st.column_config.TextColumn("Missing", width=70),
        "notes": st.column_config.TextColumn("Notes", width=160)}  # fmt: skip


HISTORY = {"batch_id": st.column_config.NumberColumn(width=60),
           "files": st.column_config.TextColumn(width=180),
           "quarters": st.column_config.TextColumn(width=140),
           "active_quarters": st.column_config.TextColumn(width=140),
           "rows": st.column_config.TextColumn(width=220)}  # fmt: skip
ISSUES = {"code": None, "value": st.column_config.TextColumn(width=110)}


def _fit(frame: pd.DataFrame, config: dict | None = None) -> dict:
    """``config``, and no sheet column when no file has sheets (CSV files)."""
    empty = "sheet" in frame and bool(frame["sheet"].replace("", None).isna().all())
    return {**(config or {}), **({"sheet": None} if empty else {})}


ctx = common.page("Data", needs_data=False)
store = cache.get_store()
if OUTCOME in st.session_state:
    changed, refused, message, batch = st.session_state.pop(OUTCOME)
    (st.success if changed else st.error if refused else st.info)(message)
    if changed and batch is not None and store is not None:
        uploads.what_was_read(store.ledger(batch))  # what the batch just imported was read of

st.header("1 · Upload exports")
st.caption("CSV or XLSX from your OKR tool (Viva Goals and other layouts are converted), or the "
           "templates below. Several files at once: objectives and key results, check-ins, "
           "dependencies, teams.")  # fmt: skip
given_files = st.file_uploader("Files", type=["csv", "tsv", "txt", "xlsx", "xlsm"],
                               accept_multiple_files=True, key="uploads")  # fmt: skip
if given_files:
    kept, twice = templates.latest_uploads([(f.name, f.getvalue()) for f in given_files])
    for note in twice:
        st.warning(note)  # a fixed file uploaded again is added to the list, not put in place
    files = tuple(kept)
    with st.spinner("Reading and validating…"):
        first, result, given = uploads.validate(files, store)  # as they are, as answered
    overrides = questions.overrides(given, first.sources)
    settings = questions.config_for(given, first.sources, cache.config())

    st.header("2 · What each file holds")
    held = templates.sources_frame(result.sources, result.ledger)
    st.dataframe(held, hide_index=True, width="stretch", column_config=_fit(held, HELD))
    st.caption(" ".join(templates.shapes_seen(result.sources)))
    asked = questions.ask(first, result if result is not first else None)
    if mapping.ask(asked):
        st.rerun()  # validated again with the answers
    uploads.download(asked, first.sources)

    st.header("3 · Validation report")
    report = result.report
    (st.success if report.ok else st.error)(report.summary())
    uploads.what_was_read(result.ledger)
    issues = report.to_frame()
    common.table(issues, "validation_report", "", column_config=_fit(issues, ISSUES))
    if not report.ok:
        st.caption("Fix the errors in your files and upload them again (a file uploaded again "
                   "under its name replaces the earlier one); the store stays as it is until "
                   "then. Download CSV keeps the report.")  # fmt: skip
    if not result.aside.empty:
        st.caption("Kept, but shown on no page: objectives with no dated period (Rolling, "
                   "Backlog) with their key results, and work items (initiatives, deliverables) "
                   "under their key result or objective.")  # fmt: skip
        common.table(templates.aside_frame(result.aside), "kept_aside", "")

    st.header("4 · Import")
    can = access.can_import()
    if not can:
        st.warning("Only analysts may import. Ask an analyst listed in okr.toml.")
    scope = st.radio("What this import replaces", list(SCOPE_LABELS), key="scope",
                     format_func=SCOPE_LABELS.get, horizontal=True)  # fmt: skip
    if report.ok and store is not None:
        preview = store.preview(result, scope)
        st.info(preview.sentence)
        common.table(preview.changes, "import_preview", "")
    left, right = st.columns(2)
    ready = report.ok and can
    if left.button("Import into the store", type="primary", disabled=not ready or store is None,
                   icon=":material/database_upload:") and store is not None:  # fmt: skip
        bar = st.progress(0.0, "Importing…")
        outcome = uploads.write(store.import_dataset, result, files=list(files),
                              config=settings, imported_by=access.user_name(),
                              mapping_overrides=overrides, scope=scope,
                              progress=lambda f, t: bar.progress(f, t))  # fmt: skip
        if outcome.changed:
            uploads.save_confirmed(store, first.sources)
            precomputed.warm_apart(store.path)  # the first page and signals, computed ahead
        st.session_state.pop(cache.SESSION_KEY, None)
        st.session_state[OUTCOME] = (outcome.changed, outcome.batch_id is None, outcome.message,
                                     outcome.batch_id)  # fmt: skip
        st.rerun()  # the sidebar and every page show the imported data at once
    if right.button("Only look at it in this session", disabled=not report.ok):
        st.session_state[cache.SESSION_KEY] = (result.content_hash, result.dataset)
        st.rerun()

if ctx.source == "session":
    st.info("You are looking at uploaded files that are not imported.")
    stored = store is not None and store.has_data()
    if st.button("Back to the imported data" if stored else "Back to the sample data"):
        st.session_state.pop(cache.SESSION_KEY)
        st.rerun()

st.header("Import history")
if store is None:
    st.warning("Another import into the store is running; reload this page in a moment.")
elif (history := store.history()).empty:
    st.caption("Nothing imported yet: upload your OKR tool's exports above, or fill in the "
               "templates below and upload them. Until then the app shows the bundled sample "
               "data.")  # fmt: skip
else:
    history = templates.history_frame(history)
    common.table(history, "import_history", "", column_config=HISTORY)
    labels = templates.batch_labels(history)
    batch = st.selectbox("Batch to restore", list(labels), index=None, format_func=labels.__getitem__,
                         placeholder="Choose a batch", key="restore_batch")  # fmt: skip
    allowed = access.can_import()
    if st.button("Restore", disabled=batch is None or not allowed) and batch is not None:
        outcome = uploads.write(store.restore, int(batch), restored_by=access.user_name())
        if outcome.changed:
            precomputed.warm_apart(store.path)
        st.session_state[OUTCOME] = (outcome.changed, outcome.batch_id is None, outcome.message,
                                     None)  # fmt: skip
        st.rerun()

st.header("Templates and exports")
st.caption("Empty templates, one file each, with the columns the app reads and an example row.")
cols = st.columns(5)
TEMPLATES = {"okrs": "Objectives template", "checkins": "Check-ins template",
             "dependencies": "Dependencies template", "teams": "Teams template"}  # fmt: skip
for col, (table, label) in zip(cols, TEMPLATES.items(), strict=False):
    col.download_button(label, templates.template_csv(table), file_name=f"{table}.csv",
                        mime="text/csv", key=f"tpl-{table}", help=f"{table}.csv",
                        on_click="ignore")  # fmt: skip
data: Dataset = cache.dataset(ctx.version)
cols[4].download_button("Data in force (zip)", lambda: templates.dataset_zip(data),
                        file_name="okr-pulse-data.zip", mime="application/zip",
                        on_click="ignore")  # fmt: skip
