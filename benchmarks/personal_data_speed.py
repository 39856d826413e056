"""Time of the personal-data detectors on adversarial inputs of about 200 KB each.

The detectors must stay linear in the length of the text (no pattern that backtracks catastrophically); the
project allows no timed tests, so this prints the figures instead.  Run:
`.venv/bin/python benchmarks/personal_data_speed.py`.  Each should take well under a second.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from generator.content import personal_data  # noqa: E402

SIZE = 200_000


def _fill(unit: str) -> str:
    """`unit` repeated to about SIZE characters."""
    return unit * (SIZE // len(unit) + 1)


INPUTS: dict[str, str] = {
    '"1-" * 100000': "1-" * 100_000,
    '"ת\\"ז " * 50000': 'ת"ז ' * 50_000,
    "digits with separators everywhere": _fill("1 2-3.4/5\u20136\u00a07\u200e8"),
    "valid IDs next to ID words": _fill('ת"ז 123456782 '),
    "valid IDs, spaced, one word far away": 'ת"ז ' + _fill("12345678 2 "),
    "double separators": _fill("1--2..3  4"),
    '"1 " * 100000': "1 " * 100_000,
    "one 200 KB digit run": "1" * SIZE,
    "invisible marks between digits": _fill("1\u200f\u200b"),
    "ID word fragments": _fill("מס' ת. ת\"ת.ז זה תעודת  -  ה"),
    "spaces after מספר": "מספר" + " " * SIZE,
    "Hebrew prefixes only": _fill("ובל"),
    "English near-misses": _fill("did idea valid ?id= I.D I.D. "),
}


def _time(function: Callable[[str], object], text: str) -> float:
    """Seconds for one call (the best of three, so a hiccup of the machine does not count)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    checks: dict[str, Callable[[str], object]] = {
        "find_israeli_ids": personal_data.find_israeli_ids,
        "file_name_ids": personal_data.file_name_ids,
        "private_phone": personal_data.private_phone,
        "personal_mailbox": personal_data.personal_mailbox,
    }
    print(f"{'input':40} {'chars':>8} " + " ".join(f"{name:>17}" for name in checks))
    for label, text in INPUTS.items():
        times = [_time(function, text) for function in checks.values()]
        print(f"{label:40} {len(text):8} " + " ".join(f"{seconds * 1000:15.1f}ms" for seconds in times))
    header = ['ת"ז', "שם", "הערות"]
    rows = [["1-" * 50, 'ת"ז ' * 25, "12345678 2 " * 10] for _ in range(200)]
    seconds = _time(lambda _: personal_data.table_ids(header, rows), "")
    print(f"{'table_ids, 200 rows of adversarial cells':40} {'':8} {seconds * 1000:15.1f}ms")


if __name__ == "__main__":
    main()
