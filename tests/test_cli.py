"""The `kb` command as a contributor runs it: exit codes, messages, the live preview."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .conftest import PROJECT


def kb(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=PROJECT, capture_output=True, text=True, timeout=timeout, check=False
    )


def test_check_passes_on_the_real_content():
    result = kb("check")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK:")


def test_check_lists_every_problem_then_a_count(sample_copy: Path):
    (sample_copy / "authorities" / "Bad Name.yml").write_text("name: x\ntype: city\ndistrict: north\n", encoding="utf-8")
    for path in list((sample_copy / "initiatives").glob("*.md"))[:1]:
        path.write_text(path.read_text(encoding="utf-8").replace("context:", "contxt:", 1), encoding="utf-8")
    result = kb("check", "--content", str(sample_copy))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any("Bad Name.yml:1: authorities → Bad Name: id:" in line for line in lines)
    assert any(": contxt: 'contxt' is not a known field. Did you mean 'context'?" in line for line in lines)
    assert any(": context: the required field 'context' is missing" in line for line in lines)
    assert lines[-1].endswith("found. Nothing was built.")


def test_check_for_github_prints_an_annotation_per_problem_on_its_line(sample_copy: Path):
    broken = sorted((sample_copy / "initiatives").glob("*.md"))[0]
    lines = broken.read_text(encoding="utf-8").splitlines()
    context_line = next(n for n, text in enumerate(lines, 1) if text.startswith("context:"))
    lines[context_line - 1] = "contxt: emergency"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = kb("check", "--format", "github", "--content", str(sample_copy))
    assert result.returncode == 1
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 2, result.stdout
    pattern = re.compile(r"^::error file=(?P<file>[^,]+),line=(?P<line>\d+),title=(?P<title>[^:]+)::(?P<text>.+)$")
    parsed = [pattern.match(line) for line in annotations]
    assert all(parsed), annotations
    for match in parsed:
        # GitHub resolves the file from the repository root, where CI runs kb check.
        assert (PROJECT / match["file"]).resolve() == broken.resolve()
        assert "%3A" in match["title"]  # "collection → id: field" with its colon encoded
    unknown = next(m for m in parsed if "not a known field" in m["text"])
    assert int(unknown["line"]) == context_line
    assert "Did you mean 'context'?" in unknown["text"]


def test_build_writes_the_site_and_reports(tmp_path: Path, sample_copy: Path):
    site = tmp_path / "out"
    result = kb("build", "--content", str(sample_copy), "--site", str(site))
    assert result.returncode == 0, result.stderr
    assert (site / "index.html").is_file()
    assert "Built" in result.stdout


def test_missing_content_folder_is_a_clear_error(tmp_path: Path):
    result = kb("check", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "content folder not found" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.read().decode("utf-8")


def _wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_content_changes(tmp_path: Path, sample_copy: Path):
    port = _free_port()
    preview = tmp_path / "preview"
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--content", str(sample_copy), "--site", str(preview), "--port", str(port)],
        cwd=PROJECT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        assert _wait_for(lambda: "<html" in _get(f"{base}/about.html")), "preview never came up"
        about = sample_copy / "pages" / "about.md"
        about.write_text(about.read_text(encoding="utf-8") + "\nשורה חדשה שנוספה בתצוגה המקדימה\n", encoding="utf-8")
        assert _wait_for(lambda: "שורה חדשה שנוספה בתצוגה המקדימה" in _get(f"{base}/about.html")), "no rebuild"
        # A broken change keeps the last good preview and says why.
        about.write_text("---\ntitle: [\n---\n", encoding="utf-8")
        time.sleep(3)
        assert "שורה חדשה שנוספה בתצוגה המקדימה" in _get(f"{base}/about.html")
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    assert "YAML syntax error" in err
