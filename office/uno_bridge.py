"""Run by the Python that has LibreOffice's ``uno`` module (not baodao's): connects to a running soffice over
its pipe and converts files to PDF on request, one JSON line in (src, out, filter, blank_pages), one out
(ok, or the error). It imports nothing of baodao; ``office/warm.py`` starts it and owns both processes.
When its input closes (the worker stopped, or was killed) it tells soffice to end.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

CONNECT_SECONDS = 60


def _prop(name: str, value: Any) -> Any:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _connect(pipe: str) -> Any:
    """The desktop of the soffice listening on ``pipe`` (started a moment ago: try until it answers)."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _convert(desktop: Any, request: dict[str, Any]) -> None:
    source = uno.systemPathToFileUrl(request["src"])
    hidden = (_prop("Hidden", True), _prop("ReadOnly", True))
    doc = desktop.loadComponentFromURL(source, "_blank", 0, hidden)
    if doc is None:
        raise RuntimeError("LibreOffice could not open the file")
    try:
        data = [_prop("IsSkipEmptyPages", False)] if request.get("blank_pages") else []
        props = [_prop("FilterName", request["filter"])]
        if data:
            props.append(_prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", tuple(data))))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(request["out"]), tuple(props)))
    finally:
        doc.close(True)


def main() -> None:
    desktop = None
    try:
        subprocess.Popen(json.loads(sys.argv[2]), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        desktop = _connect(sys.argv[1])
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            try:
                _convert(desktop, json.loads(line))
                answer: dict[str, Any] = {"ok": True}
            except Exception as exc:  # said to the caller, which decides; the bridge goes on
                answer = {"error": f"{type(exc).__name__}: {exc}"}
            print(json.dumps(answer), flush=True)
    finally:
        # However this ends (the worker gone, even by kill -9, so its end of the pipe closed; soffice never
        # answering; a write to a worker no longer there): soffice goes with it, asked to end, and killed
        # with this bridge (one process group) if it does not within a few seconds.
        threading.Timer(10, os.killpg, (os.getpgrp(), signal.SIGKILL)).start()
        if desktop is not None:
            with contextlib.suppress(Exception):
                desktop.terminate()
        os.killpg(os.getpgrp(), signal.SIGKILL)


if __name__ == "__main__":
    main()
