"""Size of the outcomes tracker with many outcomes: its page and the rows' data that its filters read.

The sample content plus ``--forums`` synthetic forums of ``--outcomes`` outcomes each (5,000 in all by default),
owned by the sample's bodies, some past due; the site is built in a temporary folder. Run:
`.venv/bin/python benchmarks/tracker_scale.py`. It prints the bytes of `outcomes.html` (what a visit downloads,
and gzipped), of `data/tracker.js` (read only once a filter is wanted) and of the largest further page of the
tracker's lists.
"""

from __future__ import annotations

import argparse
import gzip
import random
import shutil
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from generator.build import build_site  # noqa: E402

SAMPLE = PROJECT_ROOT / "tests" / "sample_site" / "content"
OWNERS = ("karmiel", "kfar-yona", "merhavim", "lev-hakehila", "ministry-of-welfare", "galil-college")
STATUSES = ("open", "in_progress", "done", "dropped")
KINDS = ("decision", "recommendation", "model", "action_item", "publication")


def forum_text(rng: random.Random, number: int, outcomes: int) -> str:
    lines = [
        "---",
        f"title: פורום לבדיקת גודל מספר {number}",
        "summary: פורום סינתטי לבדיקת גודל המעקב.",
        "kind: city_forum",
        f"conveners: [{rng.choice(OWNERS[:3])}]",
        "topics: [education]",
        "context: routine",
        "outcomes:",
    ]
    for index in range(outcomes):
        lines += [
            f"  - title: תוצר מספר {index + 1} של פורום {number}, עם כותרת באורך רגיל",
            f"    kind: {rng.choice(KINDS)}",
            f"    owner: {rng.choice(OWNERS)}",
            f"    due: {rng.randint(2022, 2028)}-{rng.randint(1, 12):02d}",
            f"    status: {rng.choice(STATUSES)}",
        ]
    lines += ["updated: 2025-06-01", "---", "", "פורום לבדיקה.", ""]
    return "\n".join(lines)


def kb(size: int) -> str:
    return f"{size / 1024:,.0f} KB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forums", type=int, default=250)
    parser.add_argument("--outcomes", type=int, default=20)
    args = parser.parse_args(argv)
    rng = random.Random(15)
    with tempfile.TemporaryDirectory(prefix="yozmot-tracker-") as tmp:
        content, site = Path(tmp) / "content", Path(tmp) / "site"
        shutil.copytree(SAMPLE, content)
        for number in range(args.forums):
            (content / "forums" / f"scale-forum-{number}.md").write_text(forum_text(rng, number, args.outcomes), encoding="utf-8")
        build_site(content, site)
        page = (site / "outcomes.html").read_bytes()
        data = (site / "data" / "tracker.js").read_bytes()
        further = [p.stat().st_size for p in (site / "lists").rglob("outcomes/*.html")] or [0]
        total = args.forums * args.outcomes
        print(f"{total:,} synthetic outcomes (and the sample's)")
        print(f"  outcomes.html            {kb(len(page)):>10}, {kb(len(gzip.compress(page))):>8} gzipped")
        print(f"  data/tracker.js          {kb(len(data)):>10}, {kb(len(gzip.compress(data))):>8} gzipped")
        print(f"  largest further page     {kb(max(further)):>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
