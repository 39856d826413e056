"""Attachments by allowlist: what content/files/ may publish, and the names it may publish them under."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content import attachments, links

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
        "a.tif": b"II*\x00",
        "a.tiff": b"MM\x00*",
        "a.bmp": b"BM\x00\x00",
        "a.heic": b"\x00\x00\x00\x18ftypheic",
        "a.heif": b"\x00\x00\x00\x18ftypmif1",
        "a.avif": b"\x00\x00\x00\x1cftypavif",
    }
    published, problems = scan(tmp_path, files)
    assert problems == [] and sorted(published) == sorted(files)
    assert {Path(name).suffix.lower() for name in files} == set(attachments.KINDS)  # every kind is tried here


def test_a_name_that_is_not_utf8_is_a_problem_shown_escaped(tmp_path: Path):
    import os

    (tmp_path / "files").mkdir()
    (tmp_path / "files" / os.fsdecode(b"\xff\xfe.pdf")).write_bytes(PDF)  # as a zip made on Windows may name it
    published, problems = attachments.scan(tmp_path)
    [problem] = problems
    assert "not UTF-8" in problem.message
    problem.format().encode("utf-8")  # printable: the stray bytes are shown as escapes


def _zipped(path: Path, parts: dict[str, str]) -> bytes:
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return path.read_bytes()


def test_id_numbers_inside_text_attachments_are_found(tmp_path: Path):
    other = tmp_path / "other"
    other.mkdir()
    files = {
        "list.docx": _zipped(other / "a", {"word/document.xml": '<w:p><w:t>ת"ז </w:t><w:t>2000</w:t><w:t>00016</w:t></w:p>'}),
        "sheet.xlsx": _zipped(
            other / "b",
            {
                "xl/sharedStrings.xml": "<si><t>שם</t></si><si><t>תעודת זהות</t></si>",
                "xl/worksheets/sheet1.xml": "<v>200000024</v>",
            },
        ),
        "people.csv": 'שם,ת"ז\nדנה,200000032\n'.encode(),
        "notes.txt": "מספר זהות 200000040".encode("cp1255"),  # a Windows Hebrew text file
        "fine.csv": "שם,טלפון\nדנה,200000032\n".encode(),
        "fine.docx": _zipped(other / "c", {"word/document.xml": "<w:p><w:t>תקציב 200000032</w:t></w:p>"}),
    }
    published, problems = scan(tmp_path, files)
    assert sorted(published) == ["fine.csv", "fine.docx"]
    assert len(problems) == 4 and all("ID number" in message for message in problems)


def test_a_zip_that_unpacks_to_much_more_is_read_only_so_far(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(attachments, "SCANNED_BYTES", 1024 * 1024)
    bomb = _zipped(tmp_path / "bomb", {"xl/sharedStrings.xml": '<t>ת"ז</t>' + " " * 50_000_000 + "200000016"})
    published, problems = scan(tmp_path, {"bomb.xlsx": bomb})
    assert published == ["bomb.xlsx"] and problems == []  # the number lies past what is read
