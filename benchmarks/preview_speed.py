"""How soon an edit shows in the preview (`kb serve`), as a contributor sees it, at N synthetic initiatives.

Makes `build_scale.py`'s content (the real content and N synthetic initiatives), starts `kb serve` on it
as a process, waits for its first build, then makes edits one at a time, each to a file of the content,
as an editor saves it: an initiative's title (its page, its lists, its authority's and topics' pages
change), a line of an initiative's body, a new initiative, the removal of one, and a forum outcome's
status. For each it prints the seconds from the save until the page, fetched over HTTP from the preview,
shows the change (or no longer exists), then the median and the largest.

Run: ``.venv/bin/python benchmarks/preview_speed.py --sizes 2000`` (the first build takes a minute).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"

from benchmarks import build_scale  # noqa: E402

ROUNDS = 3
"""Edits of each kind."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError:
        return None
    except (OSError, http.client.HTTPException):  # not served yet, or caught while mkdocs writes it
        return ""


def wait_until(check, timeout: float = 120.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(0.02)
    return float("inf")


def edits(content: Path, base: str, round_number: int):
    """(what, the edit to make, whether the preview shows it): one of each kind."""
    initiatives = sorted((content / "initiatives").glob("bench-*.md"))
    # The one removed is one no other entry names (removing a named one is an error, the preview keeps the last).
    named = {
        ref for path in initiatives for ref in re.findall(r"bench-\d+", path.read_text(encoding="utf-8")) if ref != path.stem
    }
    unnamed = [path for path in initiatives if path.stem not in named]
    first, second, third = initiatives[round_number], initiatives[-1 - round_number], unnamed[round_number]
    title = f"כותרת בדיקה {round_number}"
    line = f"שורה חדשה בתצוגה המקדימה {round_number}"

    def retitle() -> None:
        text = first.read_text(encoding="utf-8")
        first.write_text(re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M), encoding="utf-8")

    def add_line() -> None:
        second.write_text(second.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")

    new = content / "initiatives" / f"preview-new-{round_number}.md"

    def add_entry() -> None:
        new.write_text(third.read_text(encoding="utf-8").replace("title: ", f"title: חדשה {round_number} ", 1), encoding="utf-8")

    def remove_entry() -> None:
        third.unlink()

    page = lambda path: f"{base}/initiatives/{path.stem}.html"  # noqa: E731
    yield "title of an initiative", retitle, lambda: title in (fetch(page(first)) or "")
    yield "line of a body", add_line, lambda: line in (fetch(page(second)) or "")
    yield "new initiative", add_entry, lambda: f"חדשה {round_number}" in (fetch(page(new)) or "")
    yield "initiative removed", remove_entry, lambda: fetch(page(third)) is None


def measure(count: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory(prefix="kb-preview-") as tmp:
        content, site = Path(tmp) / "content", Path(tmp) / "preview"
        build_scale.make_content(content, count)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = (Path(tmp) / "serve.log").open("w", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--content",
            str(content),
            "--site",
            str(site),
            "--port",
            str(port),
        ]
        server = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            first = wait_until(lambda: bool(fetch(f"{base}/index.html")), timeout=900)
            print(f"{count:,} initiatives: first build in {first:.0f} s")
            times: dict[str, list[float]] = {}
            for round_number in range(ROUNDS):
                for what, edit, shown in edits(content, base, round_number):
                    time.sleep(0.5)  # the watcher settles after the last rebuild
                    edit()
                    times.setdefault(what, []).append(wait_until(shown))  # seconds from the save
            return times
        finally:
            server.terminate()
            server.wait()
            log.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    args = parser.parse_args(argv)
    for count in args.sizes:
        times = measure(count)
        print(f"{'edit':<26}{'median s':>10}{'largest s':>11}   each")
        for what, values in times.items():
            shown = " ".join(f"{value:.2f}" for value in values)
            print(f"{what:<26}{statistics.median(values):>10.2f}{max(values):>11.2f}   {shown}")
        every = [value for values in times.values() for value in values]
        print(f"{'all edits':<26}{statistics.median(every):>10.2f}{max(every):>11.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
