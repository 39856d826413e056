"""Build time, HTML size per entry, and the size of the data files and feeds as the number of initiatives grows.

For each size N the real content is copied to a temporary folder, N synthetic
initiatives (and ~50 synthetic authorities) are added, and the real pipeline
(`generator.build.build_site`) builds the site.  Run: `make benchmark`, or
`.venv/bin/python benchmarks/build_scale.py --sizes 100 1000`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))
os.environ["SOURCE_DATE_EPOCH"] = "1767225600"  # 2026-01-01, as in the tests: some entries are stale, most are not

from generator.build import build_site  # noqa: E402

CONTENT = PROJECT_ROOT / "content"
SEED = 20260101
EXTRA_AUTHORITIES = 50

PLACE_PREFIXES = ["גבעת", "כפר", "נווה", "רמת", "קריית", "מצפה", "עין", "בית", "גן", "נוף"]
PLACE_ROOTS = ["השקד", "הזית", "אלונים", "הדר", "יערים", "השרון", "ברושים", "תמר", "רימונים", "אורנים"]
AUTH_TYPES = {"municipality": "", "local_council": "מועצה מקומית ", "regional_council": "מועצה אזורית "}
DISTRICTS = ["north", "haifa", "center", "tel_aviv", "jerusalem", "south", "judea_samaria"]

PROJECT_NAMES = [
    "גשרים",
    "יחד",
    "צעד קדימה",
    "מעגלים",
    "אופק",
    "שורשים",
    "כתף אל כתף",
    "בית חם",
    "רשת ביטחון",
    "מפתח",
    "קהילה מחבקת",
    "שכנים טובים",
    "עוגן",
    "נקודת מפגש",
    "דרך חדשה",
]
PROGRAM_KINDS = ["תכנית", "פיילוט", "מודל שיתופי", "רשת אזורית", "מיזם", "מרכז קהילתי"]
GOALS = [
    "חיזוק החוסן הקהילתי",
    "מיצוי זכויות התושבים",
    "יציאה ממעגל העוני",
    "שילוב צעירים בתעסוקה",
    "היערכות לחירום",
    "ליווי אזרחים ותיקים",
    "שיפור השירות לתושב",
    "שיתוף ידע בין רשויות",
    "בניית תשתית נתונים",
    "חינוך משלים בשכונות",
]
# (subject, gender) and verbs as (masculine, feminine, plural)
SUBJECTS = [
    ("צוות הרשות", "m"),
    ("מחלקת הרווחה", "f"),
    ("העמותה", "f"),
    ("רכזת התכנית", "f"),
    ("ועדת ההיגוי", "f"),
    ("השותפים", "p"),
    ("מנהל הקהילה", "m"),
    ("המתנדבים", "p"),
    ("אגף החינוך", "m"),
    ("מרכז הצעירים", "m"),
    ("נציגי משרדי הממשלה", "p"),
    ("הנהלת הרשות", "f"),
]
VERBS = [
    ("הוביל", "הובילה", "הובילו"),
    ("מיפה", "מיפתה", "מיפו"),
    ("בנה", "בנתה", "בנו"),
    ("ריכז", "ריכזה", "ריכזו"),
    ("קידם", "קידמה", "קידמו"),
    ("ליווה", "ליוותה", "ליוו"),
    ("הפעיל", "הפעילה", "הפעילו"),
    ("בחן", "בחנה", "בחנו"),
    ("תיאם", "תיאמה", "תיאמו"),
    ("הרחיב", "הרחיבה", "הרחיבו"),
]
OBJECTS = [
    "תכנית עבודה משותפת",
    "מערך מתנדבים שכונתי",
    "מסד נתונים על צורכי התושבים",
    "מפגשי היכרות בין הארגונים",
    "סל שירותים למשפחות",
    "מוקד מידע טלפוני",
    "הכשרה לאנשי הצוות",
    "מענה אישי לכל משפחה",
    "קבוצות תמיכה לצעירים",
    "נוהל עבודה לשעת חירום",
    "מיפוי של המענים הקיימים",
    "שולחן עגול של בעלי התפקידים",
    "ערכה לרשויות אחרות",
]
COMPLEMENTS = [
    "בשיתוף משרדי הממשלה",
    "לאורך השנה הראשונה",
    "בשגרה ובחירום",
    "עבור משפחות במצוקה כלכלית",
    "בכל שכונות היישוב",
    "בתיאום עם הגופים המקצועיים",
    "בעזרת תקציב ממשלתי ייעודי",
    "על בסיס הניסיון שנצבר",
    "יחד עם נציגי התושבים",
    "במסגרת מפגשים חודשיים",
    "בליווי מנחה חיצוני",
    "בלי להוסיף תקנים חדשים",
]
CONNECTORS = ["בנוסף,", "במקביל,", "לאחר מכן,", "בשלב הבא,", "בסופו של דבר,", "כבר בחודשים הראשונים,"]
INFINITIVES = ["לבנות", "למפות", "לתאם", "להגדיר", "לשתף", "לבדוק", "לתקצב", "להרחיב"]
# outcome units with what they did (plural verbs)
OUTCOMES = [
    ("משפחות", ["יצאו לעצמאות כלכלית", "קיבלו ליווי אישי", "מיצו זכויות"]),
    ("תושבים", ["השתתפו בפעילות", "קיבלו מענה מהמוקד", "הצטרפו לקבוצות"]),
    ("מתנדבים", ["הוכשרו לפעול בחירום", "הצטרפו לרשת"]),
    ("צעירים", ["השתלבו בעבודה", "החלו ללמוד"]),
    ("רשויות", ["אימצו את המודל", "הצטרפו לרשת"]),
    ("מפגשים", ["התקיימו במהלך התכנית"]),
]
ROLES = ["שותף מקצועי", "מממן", "שותף בהפעלה", "ליווי ויעוץ", None]
STATUSES = ["idea", "planning", "pilot", "active", "active", "completed", "completed", "stopped"]


class Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # the content model forbids anchors and aliases
        return True


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=100)


def ids_of(folder: Path) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yml"))


def sentence(rng: random.Random) -> str:
    subject, gender = rng.choice(SUBJECTS)
    verb = rng.choice(VERBS)["mfp".index(gender)]
    text = f"{subject} {verb} {rng.choice(OBJECTS)} {rng.choice(COMPLEMENTS)}."
    return f"{rng.choice(CONNECTORS)} {text}" if rng.random() < 0.35 else text


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def outcome(rng: random.Random, unit: str, phrases: list[str]) -> dict[str, Any]:
    value = rng.choice([rng.randint(3, 60), rng.randint(50, 900)])
    return {"text": f"כ-{value} {unit} {rng.choice(phrases)}", "value": value, "unit": unit}


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0]


def write_authorities(folder: Path, rng: random.Random, clusters: list[str]) -> dict[str, str]:
    names = [f"{p} {r}" for p in PLACE_PREFIXES for r in PLACE_ROOTS]
    rng.shuffle(names)
    made = {}
    for number, place in enumerate(names[:EXTRA_AUTHORITIES], start=1):
        kind = rng.choice(list(AUTH_TYPES))
        data: dict[str, Any] = {"name": AUTH_TYPES[kind] + place, "type": kind, "district": rng.choice(DISTRICTS)}
        if clusters and kind == "regional_council" and rng.random() < 0.3:
            data["cluster"] = rng.choice(clusters)
        auth_id = f"bench-auth-{number:03d}"
        (folder / f"{auth_id}.yml").write_text(dump(data), encoding="utf-8")
        made[auth_id] = str(data["name"])
    return made


def initiative(rng: random.Random, index: int, count: int, pools: dict[str, Any]) -> str:
    authorities: dict[str, str] = pools["authorities"]
    scope = rng.choices(["local", "regional", "national"], weights=[6, 3, 1])[0]
    data: dict[str, Any] = {}
    where = "בכל הארץ"
    places: list[str] = []
    if scope == "local":
        places = [rng.choice(list(authorities))]
        where = "ב" + authorities[places[0]]
    elif scope == "regional":
        places = rng.sample(list(authorities), rng.randint(2, 4))
        where = f"ב{authorities[places[0]]} ובשכנותיה"
    title = f"{rng.choice(PROJECT_NAMES)} – {rng.choice(PROGRAM_KINDS)} ל{rng.choice(GOALS)} {where}"
    data["title"] = clip(title, 120)
    data["summary"] = clip(paragraph(rng, 3), 400)
    if places:
        data["authorities"] = places
    if scope == "regional" and pools["clusters"] and rng.random() < 0.3:
        data["clusters"] = [rng.choice(pools["clusters"])]
    data["scope"] = scope
    orgs: list[str] = pools["organizations"]
    if rng.random() < 0.85:
        data["lead"] = rng.choice(orgs)
    partners = []
    for org in rng.sample(orgs, rng.randint(0, 3)):
        role = rng.choice(ROLES)
        partners.append({"org": org, "role": role} if role else {"org": org})
    if partners:
        data["partners"] = partners
    data["topics"] = rng.sample(pools["topics"], rng.randint(1, 3))
    populations = rng.sample(pools["populations"], rng.randint(0, 2))
    if populations:
        data["populations"] = populations
    data["context"] = rng.choice(["routine", "emergency", "both"])
    data["status"] = status = rng.choice(STATUSES)
    if status != "idea":
        start_year = rng.randint(2010, 2024)
        data["started"] = start_year if rng.random() < 0.5 else f"{start_year}-{rng.randint(1, 12):02d}"
        if status in ("completed", "stopped"):
            end_year = min(2025, start_year + rng.randint(0, 4))
            later = end_year > start_year and rng.random() < 0.5
            data["ended"] = f"{end_year}-{rng.randint(1, 12):02d}" if later else end_year
    has_results = status not in ("idea", "planning")
    outcomes = [outcome(rng, *pair) for pair in rng.sample(OUTCOMES, rng.randint(0, 3) if has_results else 0)]
    if outcomes:
        data["outcomes"] = outcomes
    others = [i for i in range(1, count + 1) if i != index]
    related = [f"bench-{i:05d}" for i in sorted(rng.sample(others, min(len(others), rng.randint(0, 2))))]
    if related:
        data["related"] = related
    data["updated"] = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 3 * 365 - 1))
    lessons = "\n".join(f"- כדאי {rng.choice(INFINITIVES)} {rng.choice(OBJECTS)} {rng.choice(COMPLEMENTS)}." for _ in range(5))
    results = " ".join(f"{o['text']}." for o in outcomes) or "המקור אינו מוסר נתונים מדידים על התוצאות."
    body = (
        f"## רקע\n\n{paragraph(rng, 7)}\n\n## מה עשינו\n\n{paragraph(rng, 6)}\n\n{paragraph(rng, 4)}\n\n"
        f"## תוצאות\n\n{results} {paragraph(rng, 4)}\n\n## לקחים ואיך לשכפל\n\n{lessons}\n"
    )
    return f"---\n{dump(data)}---\n\n{body}"


def make_content(target: Path, count: int) -> None:
    shutil.copytree(CONTENT, target)
    rng = random.Random(SEED)
    clusters = ids_of(target / "clusters")
    authorities = {
        a: str(yaml.safe_load((target / "authorities" / f"{a}.yml").read_text(encoding="utf-8"))["name"])
        for a in ids_of(target / "authorities")
    }
    authorities.update(write_authorities(target / "authorities", rng, clusters))
    pools: dict[str, Any] = {
        "authorities": authorities,
        "clusters": clusters,
        "organizations": ids_of(target / "organizations"),
        "topics": sorted(yaml.safe_load((target / "taxonomies" / "topics.yml").read_text(encoding="utf-8"))),
        "populations": sorted(yaml.safe_load((target / "taxonomies" / "populations.yml").read_text(encoding="utf-8"))),
    }
    folder = target / "initiatives"
    for index in range(1, count + 1):
        (folder / f"bench-{index:05d}.md").write_text(initiative(rng, index, count, pools), encoding="utf-8")


def measure(count: int) -> tuple[list[str], list[tuple[int, str]]]:
    with tempfile.TemporaryDirectory(prefix="yozmot-bench-") as tmp:
        content, site = Path(tmp) / "content", Path(tmp) / "site"
        make_content(content, count)
        started = time.perf_counter()
        result = build_site(content, site)
        took = time.perf_counter() - started
        STAGES[count] = result.seconds
        sizes = sorted(((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")), reverse=True)
        data = sum(p.stat().st_size for p in (site / "data").iterdir() if p.suffix in (".csv", ".json"))
        feeds = sum(p.stat().st_size for p in site.glob("feed*.xml"))
    total = sum(size for size, _ in sizes)
    bench = [size for size, path in sizes if path.startswith("initiatives/bench-")]
    row = [
        f"{count}",
        f"{result.entries}",
        f"{result.pages}",
        f"{took:.1f}",
        f"{took * 1000 / count:.1f}",
        f"{total / 1e6:.1f}",
        f"{total / 1e3 / result.entries:.1f}",
        f"{sum(bench) / 1e3 / len(bench):.1f}",
        f"{sizes[0][0] / 1e3:.0f}",
        f"{data / 1e6:.1f}",
        f"{feeds / 1e6:.1f}",
        sizes[0][1],
    ]
    return row, sizes[:5]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000], help="numbers of initiatives to add")
    args = parser.parse_args(argv)
    header = [
        "N",
        "entries",
        "pages",
        "build s",
        "ms/init",
        "HTML MB",
        "KB/entry",
        "KB/init page",
        "max KB",
        "data MB",
        "feeds MB",
    ]
    header.append("largest page")
    widths = [6, 8, 6, 8, 8, 8, 9, 13, 7, 8, 9, 0]
    print("  ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)), flush=True)
    largest: dict[int, list[tuple[int, str]]] = {}
    for count in args.sizes:
        row, largest[count] = measure(count)
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)), flush=True)
    print("\nLargest pages (KB):")
    for count, pages in largest.items():
        print(f"  N={count}: " + ", ".join(f"{path} {size / 1e3:.0f}" for size, path in pages), flush=True)
    print("\nSeconds by stage:")
    for count, seconds in STAGES.items():
        print(f"  N={count}: " + ", ".join(f"{stage} {value:.1f}" for stage, value in seconds.items()), flush=True)
    # The largest resident size of this process (load … render, the index) and of the largest child (mkdocs, Pagefind).
    own, child = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"\nPeak memory: this process {own / 1024:.0f} MB, the largest child process {child / 1024:.0f} MB")
    return 0


STAGES: dict[int, dict[str, float]] = {}


if __name__ == "__main__":
    sys.exit(main())
