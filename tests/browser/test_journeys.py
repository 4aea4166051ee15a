"""The main journeys in a real browser: every page (its main content, checked by
``shows_its_main_content`` in ``test_pages``), filters in the URL, a download, an upload."""

from __future__ import annotations

import io
import threading

import pandas as pd
import pytest

from tests.browser.conftest import shot, wait_ready

pytestmark = pytest.mark.browser

PAGES = {  # url path -> what proves the page rendered its main content
    "": "[data-testid='stPlotlyChart']",
    "alignment": "[data-testid='stDataFrame']",
    "trends": "[data-testid='stPlotlyChart']",
    "dependencies": "[data-testid='stPlotlyChart']",
    "signals": "[data-testid='stDataFrame']",
    "team?team=Onboarding": "[data-testid='stDataFrame']",
    "data": "[data-testid='stFileUploader']",
}


def sidebar_select(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=label).click()
    page.locator("[role='option']").filter(has_text=option).first.click()
    wait_ready(page)


def shows_its_main_content(page, path: str, errors: list[str]) -> None:
    """The page at ``path`` (a key of ``PAGES``) has drawn its main content, no exception and no
    error in the browser (``errors``: the page's ``pageerror`` events since it was opened).
    Run on the drawn page by ``test_pages``."""
    page.wait_for_selector(PAGES[path], timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "OKR Pulse" in page.title()
    assert not errors, errors


def test_changing_the_quarter_changes_the_url(server, page):
    page.goto(server)
    wait_ready(page)
    sidebar_select(page, "Quarter", "2026-Q3")
    page.wait_for_function("() => location.search.includes('quarter=2026-Q3')", timeout=10_000)
    assert page.get_by_text("2026-Q3, as of 30 Sep 2026").count() == 1
    shot(page, "overview-2026-Q3")


def test_a_quarter_chosen_after_opening_a_link_replaces_the_links(server, page):
    page.goto(f"{server}/?quarter=2026-Q3")
    wait_ready(page)
    sidebar_select(page, "Quarter", "2026-Q2")
    page.wait_for_function("() => location.search.includes('quarter=2026-Q2')", timeout=10_000)
    wait_ready(page)
    assert page.get_by_text("2026-Q2, as of 30 Jun 2026").count() == 1


def test_a_link_with_filters_reproduces_the_view(server, page):
    page.goto(f"{server}/?quarter=2026-Q3&department=Sales")
    wait_ready(page)
    assert page.get_by_role("combobox", name="Department").input_value() == "Sales"
    assert page.get_by_role("combobox", name="Quarter").input_value() == "2026-Q3"
    assert page.get_by_text("2026-Q3, as of 30 Sep 2026").count() == 1
    # the filter survives moving to another page
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text="Signals").click()
    wait_ready(page)
    page.wait_for_function("() => location.pathname.endsWith('/signals')", timeout=10_000)
    assert "department=Sales" in page.url and "quarter=2026-Q3" in page.url
    assert "as_of=" in page.url  # a link always carries the day it was made for


def test_a_link_for_another_day_opens_on_it_and_see_today_goes_back(server, page):
    page.goto(f"{server}/?quarter=2026-Q3&as_of=2026-08-15")
    wait_ready(page)
    assert page.get_by_text("2026-Q3, as of 15 Aug 2026").count() == 1
    page.get_by_role("button", name="See today").click()
    page.wait_for_function("() => location.search.includes('quarter=2026-Q4')", timeout=10_000)
    wait_ready(page)
    assert "as_of=2026-11-16" in page.url  # the sample's default day (its last check-in)
    assert page.get_by_role("button", name="See today").count() == 0


def test_signals_download_is_a_safe_csv_of_what_is_shown(server, page):
    page.goto(f"{server}/signals?department=Product")
    wait_ready(page)
    rows = page.locator("[data-testid='stExpander']").filter(has_text="Every signal row")
    rows.locator("summary").click()
    button = rows.get_by_role("button", name="Download CSV")
    button.wait_for(state="visible")
    with page.expect_download() as info:
        button.click()
    data = info.value.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert {"quarter", "department", "team", "objective_id", "kr_id", "signal", "severity",
            "evidence", "question"} <= set(frame.columns)  # fmt: skip
    assert len(frame) > 0 and set(frame["department"]) == {"Product"}


def test_uploading_a_broken_file_shows_its_row_level_errors(server, page, tmp_path):
    broken = tmp_path / "broken_okrs.csv"
    broken.write_text(
        "objective_id,objective,quarter,team,kr_id,key_result,target_value\n"
        "O-1,Grow,2026-Q3,Web,KR-1,Ship it,10\n"
        "O-2,Shrink,Q5 2026,Web,KR-2,Cut it,lots\n"
    )
    page.goto(f"{server}/data")
    wait_ready(page)
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(broken))
    page.get_by_text("errors block the import").wait_for(timeout=30_000)
    shot(page, "data-broken-upload")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").first.click()
    report = pd.read_csv(info.value.path(), encoding="utf-8-sig")
    errors = report[report["severity"] == "error"].set_index("column")
    assert errors.loc["quarter", "row"] == 3 and errors.loc["quarter", "value"] == "Q5 2026"
    assert errors.loc["target_value", "row"] == 3 and errors.loc["target_value", "value"] == "lots"
    assert page.get_by_role("button", name="Import into the store").is_disabled()


def test_a_wait_for_the_app_that_runs_out_says_what_it_saw(page):
    """``wait_ready`` that runs out of time names each condition as the page showed it and
    keeps a screenshot, so a wait that fails once under load says why."""
    page.set_content("<main><p>no app here</p></main>")
    with pytest.raises(AssertionError, match=r"not ready after 0.3 s at .*'state': None") as err:
        wait_ready(page, timeout=300)
    assert "'main': False" in str(err.value) and "failed-ready.png" in str(err.value)


# a page that draws its run state as Streamlit's does but never changes it, talking to a
# server that answers each rerun request with a ForwardMsg saying the script finished
ALWAYS_IDLE = """<div data-test-script-state="notRunning"><div data-testid="stMain"></div></div>
<script>
window.ws = new WebSocket("ws://127.0.0.1:PORT");
ws.binaryType = "arraybuffer";
window.rerun = () => ws.send(new Uint8Array([11 << 3 | 2, 0]));  // BackMsg.rerun_script, empty
</script>"""


def test_a_run_whose_state_never_shows_running_is_waited_for_to_its_end(page):
    """A run can end without the app's run state ever showing it running (a run the frontend
    finishes within one render, or a view drawn again already idle): ``wait_ready`` counts the
    server's "script finished" message after the browser asked for the run, not the state's
    changes. Failed once in a full run (7 Dec) after "See today", with the state still the one
    from before the click."""
    from websockets.sync.server import serve

    finished = bytes([6 << 3, 0])  # ForwardMsg.script_finished = FINISHED_SUCCESSFULLY
    asked: list[bytes] = []
    html = {}

    def the_page(connection, request):
        """The page, from the server's own address: Chromium lets only a page on a loopback
        address reach one."""
        if request.path != "/page":
            return None
        response = connection.respond(200, html["text"])
        del response.headers["Content-Type"]
        response.headers["Content-Type"] = "text/html"
        return response

    def answer(ws) -> None:
        for message in ws:
            asked.append(message)
            ws.send(finished)

    with serve(answer, "127.0.0.1", 0, process_request=the_page) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.socket.getsockname()[1]
        html["text"] = ALWAYS_IDLE.replace("PORT", str(port))
        page.goto(f"http://127.0.0.1:{port}/page")
        page.wait_for_function("() => window.ws.readyState === 1")
        page.evaluate("() => window.rerun()")
        wait_ready(page, timeout=5_000)
        assert asked == [bytes([11 << 3 | 2, 0])]  # (leaving the block shuts the server down)


def test_the_wait_reads_the_fields_of_streamlits_messages_as_protobuf_writes_them(page):
    """The parser ``WATCH_RUNS`` reads messages with finds a run's end and a rerun request among
    the top-level fields of real ForwardMsgs and BackMsgs, past fields of every length before
    them (a hash, metadata)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    from tests.browser.conftest import PROTOBUF_FIELDS

    finished = ForwardMsg(hash="h" * 200, script_finished=0)
    finished.metadata.delta_path.extend([0, 1, 2])
    early = ForwardMsg(hash="h", script_finished=2)
    delta = ForwardMsg(hash="h" * 40)
    delta.delta.new_element.markdown.body = "text " * 100
    rerun = BackMsg()
    rerun.rerun_script.page_script_hash = "p" * 300
    heartbeat = BackMsg(app_heartbeat=True)
    read = f"data => {{ {PROTOBUF_FIELDS} return fields(new Uint8Array(data)); }}"
    seen = {name: page.evaluate(read, list(msg.SerializeToString()))
            for name, msg in [("finished", finished), ("early", early), ("delta", delta),
                              ("rerun", rerun), ("heartbeat", heartbeat)]}  # fmt: skip
    assert seen == {"finished": [[1, None], [2, None], [6, 0]], "early": [[1, None], [6, 2]],
                    "delta": [[1, None], [5, None]], "rerun": [[11, None]],
                    "heartbeat": [[17, 1]]}  # fmt: skip
