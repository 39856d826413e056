"""The emergency sheets and their index, as rendered from content: what a reader needs in an emergency, nothing empty."""

from __future__ import annotations

import re
from pathlib import Path

from generator.build import render_docs
from tests.conftest import write_files

CONTACTS = """---
title: צוותי חירום בשכונות
summary: >-
  צוות מתנדבים בכל שכונה.
clusters: [western-galilee]
scope: regional
topics: [emergency]
context: emergency
status: active
contacts:
  - name: דנה לוי
    role: רכזת החוסן
    phone: "04-9000001"
  - name: יוסי כהן
    role: מנהל המוקד
    phone: "04-9000002"
    email: moked@example.org
updated: 2022-01-10
---

צוותים בשכונות.
"""


def test_a_sheet_leaves_out_empty_sections_and_gives_each_contact_a_line_and_a_number_to_dial(sample_copy: Path):
    new_town = "name: עיר חדשה\ntype: municipality\ndistrict: haifa\n"
    write_files(sample_copy, {"initiatives/neighbourhood-teams.md": CONTACTS, "authorities/new-town.yml": new_town})
    _, docs, _ = render_docs(sample_copy)
    karmiel, kfar_yona, empty = docs["emergency/karmiel.md"], docs["emergency/kfar-yona.md"], docs["emergency/new-town.md"]
    # Kfar Yona has a forum and no emergency initiative; the new town has neither: no "(0)" section anywhere.
    assert "יוזמות לחירום" not in kfar_yona and "<h2>פורומים ותוצרים פתוחים (1)</h2>" in kfar_yona
    assert "<h2>" not in empty and "(0)" not in empty + kfar_yona
    assert 'href="../contexts/emergency.html"' in empty and 'href="../emergency/index.html"' in empty
    assert "<h2>יוזמות לחירום (2)</h2>" in karmiel
    contacts = re.search(r'<ul class="kb-contacts">(.*?)</ul>', karmiel.split("צוותי חירום בשכונות", 1)[1]).group(1)
    items = re.findall(r"<li>(.*?)</li>", contacts)
    assert len(items) == 2 and "דנה לוי" in items[0] and "יוסי כהן" in items[1]
    assert 'href="tel:049000001"' in items[0] and 'href="tel:049000002"' in items[1] and "mailto:" in items[1]


def test_the_index_lists_every_authority_s_sheet_by_district(sample_copy: Path):
    _, docs, _ = render_docs(sample_copy)
    index = docs["emergency/index.md"]
    districts = re.findall(r"^## (.+)$", index, re.M)
    assert districts == ["מחוז הצפון", "מחוז המרכז", "מחוז הדרום"]  # in the districts' order; none empty
    links = re.findall(r'<a href="\.\./emergency/([a-z-]+)\.html">', index)
    assert sorted(links) == ["karmiel", "kfar-yona", "merhavim"]
    assert 'כרמיאל</a> <span class="kb-note">(יוזמה אחת לחירום)' in index
    for page in ("index.md", "contexts/emergency.md", "topics/emergency.md"):
        assert "emergency/index.html" in docs[page], page
