"""A minimal Streamlit client: one session over the websocket, as a browser tab without drawing.

It speaks Streamlit's own protocol (``/_stcore/stream``, the ``BackMsg``/``ForwardMsg``
protobuf classes that ship with Streamlit): each ``run`` asks for a page, reads the messages
until the script has finished, and keeps what the page showed (titles, text, alerts, select
box options, exceptions) and how long it took. Used by the capacity benchmark
(``bench/load.py``) and by the replica test; it measures the server, not a browser.

    async with Session(url) as s:
        page = await s.run("Signals")
        page.seconds, page.errors
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN


@dataclass
class Page:
    """What one page run showed, and how long the server took from request to finished."""

    title: str = ""
    seconds: float = 0.0
    texts: list[str] = field(default_factory=list)  # markdown, captions, headings
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (error|warning|info|…, text)
    exceptions: list[str] = field(default_factory=list)
    selects: dict[str, list[str]] = field(default_factory=dict)  # label -> options

    @property
    def errors(self) -> list[str]:
        """Every error the page showed: exceptions and error alerts."""
        return self.exceptions + [text for kind, text in self.alerts if kind == "error"]


_ALERTS = {1: "error", 2: "warning", 3: "info", 4: "success"}


class Session:
    """One Streamlit session on the server at ``url``."""

    def __init__(self, url: str, query: str = ""):
        self.url = url
        self.query = query
        self.pages: dict[str, str] = {}  # page title -> page script hash
        self._ws = None

    async def __aenter__(self) -> Session:
        ws_url = self.url.replace("http://", "ws://") + "/_stcore/stream"
        self._ws = await connect(ws_url, subprotocols=["streamlit"], origin=self.url,
                                 max_size=None, open_timeout=60, ping_interval=None)  # fmt: skip
        return self

    async def __aexit__(self, *exc) -> None:
        await self._ws.close()

    async def run(self, title: str = "", timeout: float = 300) -> Page:
        """Open the page called ``title`` (the default page when empty) and read it whole."""
        msg = BackMsg()
        msg.rerun_script.query_string = self.query
        if title:
            msg.rerun_script.page_script_hash = self.pages[title]
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        page = Page()
        while True:
            data = await asyncio.wait_for(self._ws.recv(), timeout)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                _collect(page, fwd.delta.new_element)
            elif kind == "script_finished" and fwd.script_finished != RERUN:
                break
        page.seconds = time.perf_counter() - start
        return page


def _collect(page: Page, element) -> None:
    kind = element.WhichOneof("type")
    if kind == "heading":
        page.title = page.title or element.heading.body
        page.texts.append(element.heading.body)
    elif kind == "markdown":
        page.texts.append(element.markdown.body)
    elif kind == "alert":
        page.alerts.append((_ALERTS.get(element.alert.format, "alert"), element.alert.body))
    elif kind == "exception":
        page.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "selectbox":
        page.selects[element.selectbox.label] = list(element.selectbox.options)


# servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, log: Path, port: int | None = None) -> tuple[subprocess.Popen, str]:
    """``streamlit run app.py`` (headless) serving the store ``db``; waits until it is healthy."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "OKR_DB": str(db)}, stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start; log:\n{log.read_text()}")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
