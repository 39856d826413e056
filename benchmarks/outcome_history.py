"""Time and memory of the history stage (`generator/content/history.py`) on a repository of 2,000 commits.

The repository is made with one ``git fast-import`` (2,000 ``git commit``s would take minutes): 50 forums of 12
outcomes each, added in the first commit; then each commit changes one outcome's status (and every fifth its
progress) in one forum, a day apart, and two forums are renamed on the way. Run:
`.venv/bin/python benchmarks/outcome_history.py` (``--commits``, ``--forums``, ``--outcomes`` to choose). It prints
the seconds of reading the history (the best of three), the Python memory it peaked at (tracemalloc) and the
process's peak resident size.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from types import SimpleNamespace

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from generator.content import history  # noqa: E402

STATUSES = ("open", "in_progress", "done", "dropped")
START = 1_704_060_000  # 2024-01-01, in the morning in Israel
DAY = 86_400


def forum_text(forum: int, outcomes: list[dict[str, object]]) -> bytes:
    lines = ["---", f"title: פורום מספר {forum}", "summary: פורום לבדיקת מהירות.", "kind: round_table", "outcomes:"]
    for outcome in outcomes:
        lines += [f"  - title: {outcome['title']}", "    kind: decision", f"    status: {outcome['status']}"]
        lines += ["    description: תיאור קצר של התוצר, כמה מילים כמו בתוכן אמיתי."]
        if outcome.get("progress") is not None:
            lines.append(f"    progress: {outcome['progress']}")
    lines += ["updated: 2025-01-01", "---", "", "גוף הדף.", ""]
    return "\n".join(lines).encode("utf-8")


def make_repository(repo: Path, commits: int, forums: int, per_forum: int) -> dict[str, list[str]]:
    """The repository, by fast-import; returns each forum's current outcome titles by its final id."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    rng = random.Random(15)
    state = {
        f"forum-{f:03d}": [{"title": f"תוצר {o} של פורום {f}", "status": "open", "progress": None} for o in range(per_forum)]
        for f in range(forums)
    }
    names = {forum_id: forum_id for forum_id in state}  # its id now → its file's name now
    stream: list[bytes] = []

    def commit(number: int, changes: list[bytes]) -> None:
        stamp = START + number * DAY
        message = f"commit {number}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.org> {stamp} +0200\n".encode())
        stream.append(b"data %d\n%s\n" % (len(message), message))
        stream.extend(changes)

    def modify(forum_id: str) -> bytes:
        body = forum_text(int(forum_id[-3:]), state[forum_id])
        return b"M 100644 inline content/forums/%s.md\ndata %d\n%s\n" % (names[forum_id].encode(), len(body), body)

    commit(0, [modify(forum_id) for forum_id in state])
    renamed = {commits // 3: "forum-001", 2 * commits // 3: "forum-002"}
    for number in range(1, commits):
        if number in renamed:
            forum_id = renamed[number]
            new = f"{forum_id}-renamed"
            change = b"R content/forums/%s.md content/forums/%s.md\n" % (names[forum_id].encode(), new.encode())
            names[forum_id] = new
            commit(number, [change])
            continue
        forum_id = rng.choice(sorted(state))
        outcome = rng.choice(state[forum_id])
        outcome["status"] = rng.choice([s for s in STATUSES if s != outcome["status"]])
        if number % 5 == 0:
            outcome["progress"] = rng.randrange(0, 101)
        commit(number, [modify(forum_id)])
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream), check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True)
    return {names[forum_id]: [o["title"] for o in outcomes] for forum_id, outcomes in state.items()}  # type: ignore[misc]


def graph_of(content: Path, current: dict[str, list[str]]) -> SimpleNamespace:
    forums = {
        forum_id: SimpleNamespace(
            id=forum_id, model=SimpleNamespace(outcomes=[SimpleNamespace(id=None, title=t) for t in titles])
        )
        for forum_id, titles in current.items()
    }
    return SimpleNamespace(root=content, entries={"forums": forums})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--commits", type=int, default=2000)
    parser.add_argument("--forums", type=int, default=50)
    parser.add_argument("--outcomes", type=int, default=12, help="outcomes per forum")
    args = parser.parse_args()
    os.environ.update(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    with tempfile.TemporaryDirectory(prefix="kb-history-") as tmp:
        repo = Path(tmp) / "repo"
        started = time.perf_counter()
        current = make_repository(repo, args.commits, args.forums, args.outcomes)
        print(
            f"made {args.commits:,} commits ({args.forums} forums × {args.outcomes} outcomes) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        graph = graph_of(repo / "content", current)
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            found = history.read(graph)  # type: ignore[arg-type]
            best = min(best, time.perf_counter() - started)
        if not found.available:
            print(f"history not available: {found.reason}")
            return 1
        tracemalloc.start()
        history.read(graph)  # type: ignore[arg-type]
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        changes = sum(len(t.changes) for forum in found.timelines.values() for t in forum.values())
        # The whole process's (Python, the libraries, the outcomes): git's own processes are not in it.
        resident = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
        print(
            f"read the history: {best:.2f} s (best of 3); {changes:,} events of "
            f"{sum(map(len, found.timelines.values())):,} outcomes"
        )
        print(
            f"peak memory of reading it: {peak / 1024 / 1024:.1f} MB (tracemalloc); the process's peak: {resident / 1024:.0f} MB"
        )
        renamed = [forum_id for forum_id in found.timelines if forum_id.endswith("-renamed")]
        print(f"renamed forums with their history: {', '.join(renamed) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
