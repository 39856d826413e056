"""`kb check` on inputs made to be slow: each must stay linear in its size, under a second.

The outside review of issue 11 found two quadratic ones (a vocabulary of 16,000 terms took 30 s, a body of
``<a`` repeated, 200 KB, took 18 s); the others are shapes that make parsers backtrack or recurse. Each input
is added to a copy of the sample content and the whole check (stages 1–3, as `kb check` runs them) is timed,
at two sizes, so that a ratio far above 2 shows growth faster than linear. Run:
`.venv/bin/python benchmarks/check_slow_inputs.py`. Timed here, never in a test: this machine is noisy.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

from generator.build import check_content  # noqa: E402
from generator.errors import ContentError  # noqa: E402

SAMPLE = PROJECT_ROOT / "tests" / "sample_site" / "content"
FRONT = (
    "---\ntitle: גוף איטי\nsummary: בדיקה.\nscope: national\ntopics: [employment]\ncontext: routine\nstatus: idea\n"
    "updated: 2025-06-01\n---\n\n"
)


def vocabulary(size: int) -> dict[str, str]:
    """16,000 terms at the larger size, the count the review timed at 30 s, added to the sample's own."""
    terms = "".join(f"term-{n}:\n  label: נושא {n}\n" for n in range(size * 16_000 // SIZES[-1]))
    return {"taxonomies/topics.yml": (SAMPLE / "taxonomies" / "topics.yml").read_text(encoding="utf-8") + terms}


def missing_references(size: int) -> dict[str, str]:
    """As many references to topics that do not exist as the size allows, beside 16,000 terms: each asks for a
    "did you mean"."""
    missing = "".join(f"  - term-x{n}\n" for n in range(size // 25))  # like the terms: each is compared
    return {**vocabulary(SIZES[-1]), "initiatives/slow-body.md": FRONT.replace("topics: [employment]", "topics:\n" + missing)}


def body(unit: str) -> Callable[[int], dict[str, str]]:
    return lambda size: {"initiatives/slow-body.md": FRONT + unit * (size // len(unit))}


INPUTS: dict[str, Callable[[int], dict[str, str]]] = {
    "vocabulary of many terms": vocabulary,
    "references to missing terms": missing_references,
    "body: '<a' repeated": body("<a"),
    "body: '<a ' repeated": body("<a "),
    "body: '<' repeated": body("<"),
    "body: '[' repeated": body("["),
    "body: '[a](' repeated": body("[a]("),
    "body: '*a ' repeated": body("*a "),
    "body: '<!--' repeated": body("<!--"),
    "body: empty headings ('#' lines)": body("#\n"),
    "body: equal headings": body("## רקע\n"),
    "body: '> ' nested": body("> "),
    "body: nested list": lambda size: {
        "initiatives/slow-body.md": FRONT + "".join(" " * (2 * i) + "- x\n" for i in range(int(size**0.5)))
    },
    "body: table rows": body('| 123456782 | ת"ז |\n'),
    "body: ID words": body('ת"ז 1-2-3 '),
    "yaml: '[' nested": lambda size: {
        "organizations/deep.yml": "name: " + "[" * (size // 2) + "]" * (size // 2) + "\nsector: academia\n"
    },
}

SIZES = (50_000, 99_000)
"""Characters of each input: a body may have at most 100,000 (`body.MAX_LENGTH`); one longer is refused at once."""


def time_check(files: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(SAMPLE, content)
        for relative, text in files.items():
            (content / relative).write_text(text, encoding="utf-8")
        started = time.perf_counter()
        try:
            check_content(content)
        except ContentError:
            pass  # most of these are refused; what matters is how soon
        return time.perf_counter() - started


def main() -> None:
    baseline = time_check({})
    print(f"kb check of the sample content alone: {baseline:.3f} s\n")
    print(f"| input | {' | '.join(f'{size:,} characters' for size in SIZES)} | ratio |")
    print(f"|---|{'---|' * len(SIZES)}---|")
    for name, make in INPUTS.items():
        times = [time_check(make(size)) - baseline for size in SIZES]
        ratio = times[-1] / times[0] if times[0] > 0.001 else float("nan")
        print(f"| {name} | {' | '.join(f'{t:.3f} s' for t in times)} | {ratio:.1f} |")
    refused = time_check(body("<a")(200_000)) - baseline
    print(f"\nThe review's 200 KB body of '<a' repeated (over the limit, so refused with its line): {refused:.3f} s")


if __name__ == "__main__":
    main()
