"""Attachments by allowlist: what content/files/ may publish, and the names it may publish them under."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import attachments, links

PDF = b"%PDF-1.7\n%%EOF\n"


def scan(tmp_path: Path, files: dict[str, bytes]) -> tuple[list[str], list[str]]:
    for name, data in files.items():
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    published, problems = attachments.scan(tmp_path)
    return published, [p.message for p in problems]


@pytest.mark.parametrize(
    "name", ["שורה\nחדשה.pdf", "tab\there.pdf", "ends-with-space.pdf ", "dot.", "a:b.pdf", "x" * 130 + ".pdf"]
)
def test_names_a_web_address_or_a_disk_cannot_keep(tmp_path: Path, name: str):
    _, problems = scan(tmp_path, {name: PDF})
    assert problems  # and a problem stops the build


def test_hebrew_names_with_spaces_are_published_url_safe(tmp_path: Path):
    published, problems = scan(tmp_path, {"תכנית עבודה 2024.pdf": PDF, "דוחות/סיכום שנתי.pdf": PDF})
    assert problems == [] and published == ["דוחות/סיכום שנתי.pdf", "תכנית עבודה 2024.pdf"]
    assert (
        links.file_url("תכנית עבודה 2024.pdf")
        == "files/%D7%AA%D7%9B%D7%A0%D7%99%D7%AA%20%D7%A2%D7%91%D7%95%D7%93%D7%94%202024.pdf"
    )


def test_a_file_too_big_for_a_phone_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 1024)
    published, problems = scan(tmp_path, {"big.pdf": PDF + b"0" * 2048, "small.pdf": PDF})
    assert published == ["small.pdf"] and len(problems) == 1 and "more than" in problems[0]


def test_every_allowed_kind_is_recognised_by_its_first_bytes(tmp_path: Path):
    zip_head = b"PK\x03\x04" + b"\x00" * 26
    files = {
        "a.pdf": PDF,
        "a.png": b"\x89PNG\r\n\x1a\n",
        "a.jpg": b"\xff\xd8\xff\xe0",
        "a.jpeg": b"\xff\xd8\xff\xdb",
        "a.gif": b"GIF89a",
        "a.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 ",
        "a.docx": zip_head,
        "a.xlsx": zip_head,
        "a.pptx": zip_head,
        "a.odt": zip_head,
        "a.ods": zip_head,
        "a.csv": "א,ב\n".encode(),
        "a.txt": b"text",
        "UPPER.PDF": PDF,
    }
    published, problems = scan(tmp_path, files)
    assert problems == [] and sorted(published) == sorted(files)
    assert {Path(name).suffix.lower() for name in files} == set(attachments.KINDS)  # every kind is tried here
