"""Refresh the golden Markdown after an intended change: `make golden` (or `python -m tests.refresh_golden`).
Review the diff (`git diff tests/golden`) before committing it."""

from .golden import GOLDEN, refresh

if __name__ == "__main__":
    print(f"Wrote {refresh()} files to {GOLDEN}.")
