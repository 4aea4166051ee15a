"""A real Streamlit server on a free port and a headless Debian chromium driven by Playwright."""

from __future__ import annotations

import asyncio
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.stclient import Session, start_server, stop_server  # as the load test and replicas

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = os.environ.get("OKR_CHROMIUM", "/usr/bin/chromium")
# --max-opt=1: V8 compiles the frontend's scripts no further than its baseline tier (Sparkplug),
# never with its optimizing compilers (Maglev, TurboFan), whose work a page open for seconds
# does not repay: the pages are the same, test_pages took 63.8-65.2 CPU-seconds instead of
# 67.5-69.8 (7 Dec; interpreter only, --max-opt=0, 73.0).
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--js-flags=--max-opt=1"]  # fmt: skip


@pytest.fixture(scope="session")
def playwright():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"chromium not found at {CHROMIUM}: run `make test` (it installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    """A browser for the contexts of their own (``new_page``): a first visit, a phone."""
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield b
    b.close()


def leave_legacy_mode(url: str) -> None:
    """Run the app once at the root, over Streamlit's websocket (no browser): a fresh server's
    first run of a deep link goes through Streamlit's legacy multipage mode and reruns itself
    (``common.page``), and a test whose first visit that was could see the page between the
    two runs (a heading drawn, the buttons under it not yet). The run at the root declares the
    navigation: every later session's deep link runs once."""

    async def run() -> None:
        async with Session(url) as session:
            await session.run()

    # on a thread of its own: the session's sync Playwright holds this thread's event loop
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


def serve(db: Path, log: Path):
    """An app on the store ``db``, out of legacy mode; its log must hold no traceback when it
    stops."""
    proc, url = start_server(db, log)
    try:
        leave_legacy_mode(url)
        yield url
    finally:
        stop_server(proc)
    text = log.read_text()
    assert "Traceback" not in text, text


def serve_empty_store(tmp_path_factory):
    """An app on an empty store of its own (so it shows the bundled sample)."""
    tmp = tmp_path_factory.mktemp("app")
    yield from serve(tmp / "okr.duckdb", tmp / "streamlit.log")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The app on the bundled sample, one per test process (a worker of ``-n 2``), shared by
    every module whose tests only read: they upload files to validate but import nothing,
    acknowledge nothing, write nothing beside the store."""
    yield from serve_empty_store(tmp_path_factory)


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A fresh app on an empty store of its own, per test module: for the tests that change what
    the store holds (an import, an acknowledged signal), so no other module sees it."""
    yield from serve_empty_store(tmp_path_factory)


# The top-level fields of a protobuf message (Streamlit's BackMsg and ForwardMsg), as
# ``fields(bytes(data))``: [field number, its value if a varint else null] (test_journeys
# reads real messages with it).
PROTOBUF_FIELDS = """
    const bytes = d => d instanceof ArrayBuffer ? new Uint8Array(d)
        : ArrayBuffer.isView(d) ? new Uint8Array(d.buffer, d.byteOffset, d.byteLength) : null;
    const fields = b => {
        const out = []; let i = 0;
        const varint = () => {
            let v = 0, scale = 1, c;
            do { c = b[i++]; v += (c & 127) * scale; scale *= 128; }
            while (c & 128 && i < b.length);
            return v;
        };
        while (i < b.length) {
            const tag = varint(), wire = tag % 8; let value = null;
            if (wire === 0) value = varint();
            else if (wire === 1) i += 8;
            else if (wire === 2) { const length = varint(); i += length; }  // (i read after)
            else if (wire === 5) i += 4;
            else break;
            out.push([Math.floor(tag / 8), value]);
        }
        return out;
    };
"""

# Installed in every page before the app loads: when the browser last asked the server for a
# run (a BackMsg holding rerun_script: the first load, a widget, a page link) and when the
# server last said a run ended (a ForwardMsg holding script_finished, other than "finished
# early for a rerun", which another run follows). The app is ready once it is not running and
# a run has ended since the last ask, so a wait after a click cannot see the state from before
# the click's run began. The end is the server's message, not the run state drawn on the page:
# a run can end without the state ever showing it running (one that the frontend finishes
# within a render, a view drawn again already idle), and a wait on the state's changes then
# waited for a run that had ended (once in a full run, 7 Dec, after "See today").
WATCH_RUNS = (
    """(() => {
    window.__okrSentAt = 0; window.__okrIdleAt = 0;
    const RERUN_SCRIPT = 11, SCRIPT_FINISHED = 6, FINISHED_EARLY_FOR_RERUN = 2;
"""
    + PROTOBUF_FIELDS
    + """
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (data) {
        if (!this.__okrWatched) {
            this.__okrWatched = true;
            this.addEventListener("message", event => {
                const b = bytes(event.data);
                const end = b && fields(b).find(([f]) => f === SCRIPT_FINISHED);
                if (end && end[1] !== FINISHED_EARLY_FOR_RERUN) {
                    window.__okrIdleAt = performance.now();
                }
            });
        }
        const b = bytes(data);
        if (b && fields(b).some(([f]) => f === RERUN_SCRIPT)) {
            window.__okrSentAt = performance.now();
        }
        return send.apply(this, arguments);
    };
})()"""
)

READY = """() => {
    const app = document.querySelector("[data-test-script-state]");
    return window.__okrSentAt > 0 && window.__okrIdleAt > window.__okrSentAt
        && app !== null && app.getAttribute("data-test-script-state") === "notRunning"
        && document.querySelector("[data-testid='stMain']") !== null;
}"""

# every chart has drawn its SVG and every table its canvas (what a person sees once it settles;
# a closed expander's are drawn when it opens)
DRAWN = """() => {
    const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.checkVisibility());
    const charts = shown("[data-testid='stPlotlyChart']");
    const tables = shown("[data-testid='stDataFrame']");
    return charts.every(c => c.querySelector(".main-svg") !== null)
        && tables.every(t => t.querySelector("canvas") !== null);
}"""


# No CSS animation or transition in the tests' browsers, and reduced motion asked for: a tab
# waiting for a busy server drew Streamlit's running indicator and faded stale elements frame
# after frame, on the cores the server and the other worker need (the browser run took 454
# CPU-seconds instead of 509). What the tests check, the page once it has settled, is the same.
STILL = """document.addEventListener("DOMContentLoaded", () => {
    const style = document.createElement("style");
    style.textContent = "*, *::before, *::after { animation: none !important; "
        + "transition: none !important; }";
    document.head.appendChild(style);
});"""
STILL_OPTIONS = {"reduced_motion": "reduce"}


def watched(ctx):
    """``ctx`` with the scripts every page of the tests starts with: ``WATCH_RUNS``, ``STILL``."""
    ctx.add_init_script(WATCH_RUNS)
    ctx.add_init_script(STILL)
    return ctx


def new_page(browser, **options):
    """A page in a context of its own (a first visit, a phone), watched for the app's runs (see
    ``wait_ready``); the other tests open theirs in the shared ``context`` (``open_page``)."""
    ctx = watched(browser.new_context(**STILL_OPTIONS, **options))
    return ctx, ctx.new_page()


@pytest.fixture(scope="session")
def context(playwright, tmp_path_factory):
    """The context the tests open their pages in, one per test process, as a person's browser
    keeps the app's scripts in its cache after the first visit. In a context of its own, each
    test fetched and compiled Streamlit's frontend again: about 2 CPU-seconds of the browser and
    0.35 of the server per test (the browser run: 403 CPU-seconds instead of 454, 210 s
    instead of 239). Each page is still a session of its own.

    It is a profile on disk, as a person's is, not an off-the-record context: Chromium keeps
    the compiled code of the frontend's scripts only in a profile on disk (12 pages opened in
    turn: 30 CPU-seconds of Chromium instead of 40)."""
    ctx = watched(playwright.chromium.launch_persistent_context(
        tmp_path_factory.mktemp("profile"), executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_ARGS, viewport={"width": 1440, "height": 900}, accept_downloads=True,
        **STILL_OPTIONS))  # fmt: skip
    yield ctx
    ctx.close()


def open_page(context, viewport: dict | None = None):
    """A new page (a new Streamlit session) in the shared ``context``, watched for the app's
    runs; ``viewport`` when other than 1,440 × 900."""
    p = context.new_page()
    if viewport:
        p.set_viewport_size(viewport)
    return p


@pytest.fixture
def page(context):
    p = open_page(context)
    yield p
    p.close()


# what ``READY`` looks at, for the message of a wait that ran out of time
READY_PARTS = """() => {
    const app = document.querySelector("[data-test-script-state]");
    return {state: app && app.getAttribute("data-test-script-state"),
            last_sent_ms: window.__okrSentAt, last_idle_ms: window.__okrIdleAt,
            now_ms: performance.now(),
            main: document.querySelector("[data-testid='stMain']") !== null};
}"""


def wait_ready(page, timeout: float = 60_000) -> None:
    """Wait until the app has finished the run that the browser last asked the server for
    (``WATCH_RUNS``: the server said a run finished after the last rerun request; no running
    indicator, main block present): no fixed sleep. When it has not in time, the
    failure says what the page showed of each condition and keeps a screenshot
    (tests/artifacts/failed-ready.png)."""
    try:
        page.wait_for_function(READY, timeout=timeout, polling=50)
    except PlaywrightTimeout:
        parts = page.evaluate(READY_PARTS)
        path = shot(page, "failed-ready")
        raise AssertionError(
            f"the app was not ready after {timeout / 1000:g} s at {page.url}: {parts} "
            f"(screenshot {path})"
        ) from None


def wait_drawn(page, timeout: float = 30_000) -> None:
    """Wait until the app is ready and every chart and table on the page has drawn itself."""
    wait_ready(page, timeout)
    page.wait_for_function(DRAWN, timeout=timeout, polling=50)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    settle(page, timeout)


def settle(page, timeout: float = 30_000) -> None:
    """Wait for the next two frames and until no animation or transition is running (a sidebar
    sliding in, an expander opening, a chart redrawn at a new size)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running')",
        timeout=timeout,
        polling=50,
    )


def wait_for_text(page, text: str, timeout: float = 30_000, near: str = "") -> None:
    """Wait until the page's text holds ``text``. When it does not in time, the failure says
    what the page held instead (the lines holding ``near``, or its first lines) and keeps a
    screenshot (tests/artifacts/failed-wait.png): a wait that fails once under load says why."""
    try:
        page.wait_for_function("t => document.body.innerText.includes(t)", arg=text,
                               timeout=timeout, polling=100)  # fmt: skip
    except PlaywrightTimeout:
        lines = page.evaluate("() => document.body.innerText").splitlines()
        shown = [line for line in lines if near and near in line] or lines[:15]
        path = shot(page, "failed-wait")
        raise AssertionError(
            f"{text!r} not on the page after {timeout / 1000:g} s; it showed: {shown} "
            f"(screenshot {path})"
        ) from None


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
