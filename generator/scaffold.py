"""`kb new`: a new entry from a template, valid as created.

Values come from flags; in a terminal, what is missing is asked for (with the
allowed choices shown); without one, nothing is asked and a missing value that
cannot be defaulted is an error that says which flag to give.  The new file is
checked with the rest of the content before it is kept.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from .build import check_content
from .content import placeholders, registry, schema
from .errors import ContentError, KbError


@dataclass
class Answers:
    """What the contributor gave (flags) or typed (prompts)."""

    title: str | None = None
    summary: str | None = None
    authorities: list[str] | None = None
    clusters: list[str] | None = None
    topics: list[str] | None = None
    populations: list[str] | None = None
    scope: str | None = None
    context: str | None = None
    status: str | None = None
    kind: str | None = None
    conveners: list[str] | None = None
    type: str | None = None
    district: str | None = None
    sector: str | None = None
    links: list[str] | None = None
    """Addresses of the entry's public sources (an issue form's link)."""


Ask = Callable[[str, list[str] | None], str]


def terminal_ask(question: str, choices: list[str] | None) -> str:
    if choices and len(choices) > 8:  # a long list, one to a line (numbered by `_choose`)
        print("\n".join(choices))
        return input(f"{question}: ").strip()
    shown = f" ({', '.join(choices)})" if choices else ""
    return input(f"{question}{shown}: ").strip()


def _need(value, question: str, flag: str, ask: Ask | None, choices: list[str] | None = None):
    if value:
        return value
    if ask is None:
        raise KbError(f"missing {flag}: {question}" + (f" (one of: {', '.join(choices)})" if choices else ""))
    answer = ask(question, choices)
    while choices and answer not in choices:
        answer = ask(f"'{answer}' is not one of the choices (אינו אחת האפשרויות). {question}", choices)
    if not answer:
        raise KbError(f"missing {flag}: {question}")
    return answer


def _ids(content: Path, name: str) -> list[str]:
    collection = registry.COLLECTIONS[name]
    if collection.format == "vocabulary":
        path = content / collection.source_path
        return sorted(yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else []
    return sorted(p.stem for p in (content / collection.source_path).glob(f"*{collection.extension}"))


def names_of(content: Path, name: str) -> dict[str, str]:
    """A collection's ids with the Hebrew names a contributor knows them by, in the order of the names."""
    collection = registry.COLLECTIONS[name]
    found: dict[str, str] = {}
    if collection.format == "vocabulary":
        path = content / collection.source_path
        data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        found = {key: str((value or {}).get("label", key)) for key, value in (data or {}).items()}
    else:
        for path in (content / collection.source_path).glob(f"*{collection.extension}"):
            text = path.read_text(encoding="utf-8")
            front = text.split("---\n", 2)[1] if text.startswith("---\n") and text.count("---\n") >= 2 else text
            try:
                data = yaml.safe_load(front)
            except yaml.YAMLError:
                data = None
            data = data if isinstance(data, dict) else {}
            found[path.stem] = str(data.get("name") or data.get("title") or path.stem)
    return dict(sorted(found.items(), key=lambda item: (item[1], item[0])))


def _choose(question: str, options: dict[str, str], ask: Ask) -> list[str]:
    """One or more of ``options`` (id → name), asked for by number, by name or by id, several with commas."""
    keys = list(options)
    shown = [f"{number}. {name} ({key})" for number, (key, name) in enumerate(options.items(), start=1)]
    by_name = {name: key for key, name in options.items()}
    prompt = question
    while True:
        answer = ask(prompt, shown)
        parts = [part.strip() for part in answer.replace("،", ",").split(",") if part.strip()]
        picked = [
            keys[int(part) - 1] if part.isdigit() and 1 <= int(part) <= len(keys) else by_name.get(part, part) for part in parts
        ]
        unknown = [part for part, key in zip(parts, picked, strict=True) if key not in options]
        if picked and not unknown:
            return list(dict.fromkeys(picked))
        prompt = f"לא מצאתי את {', '.join(unknown) or 'התשובה'} ברשימה. {question}"


def _list(values: list[str] | None, question: str, flag: str, ask: Ask | None, choices: list[str]) -> list[str]:
    if values:
        return values
    return [_need(None, question, flag, ask, choices)]


def _yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def entry_text(content: Path, collection: str, a: Answers, ask: Ask | None, today: dt.date) -> str:
    """The new file's text."""
    if collection == "authorities":
        return _yaml(
            {
                "name": _need(a.title, "שם הרשות", "--title", ask),
                "type": _need(a.type, "סוג הרשות", "--type", ask, list(schema.AUTHORITY_TYPES)),
                "district": _need(a.district, "מחוז", "--district", ask, list(schema.DISTRICTS)),
            }
        )
    if collection == "clusters":
        return _yaml({"name": _need(a.title, "שם האשכול", "--title", ask), "authorities": a.authorities or []})
    if collection == "organizations":
        return _yaml(
            {
                "name": _need(a.title, "שם הארגון", "--title", ask),
                "sector": _need(a.sector, "מגזר", "--sector", ask, list(schema.SECTORS)),
            }
        )
    if collection == "pages":
        title = _need(a.title, "כותרת העמוד", "--title", ask)
        return f"---\n{_yaml({'title': title})}---\n\n{placeholders.PAGE_BODY}\n"
    if collection == "initiatives":
        title = _need(a.title, "שם היוזמה", "--title", ask)
        scope = a.scope or ("local" if a.authorities else "regional" if a.clusters else None)
        scope = _need(scope, "היקף: local (מקומית), regional (אזורית) או national (ארצית)", "--scope", ask, list(schema.SCOPES))
        authorities, clusters = a.authorities or [], a.clusters or []
        # What the scope needs, asked for here: the check would refuse the entry without it, and the answers be lost.
        if scope == "local" and not authorities:
            if ask is None:
                raise KbError("missing --authority: a local initiative names its authorities (--authority, once for each)")
            authorities = _choose("באילו רשויות? מספר, שם או מזהה; כמה, מופרדים בפסיקים", names_of(content, "authorities"), ask)
        if scope == "regional" and not (authorities or clusters):
            if ask is None:
                raise KbError("missing --cluster or --authority: a regional initiative names its cluster or its authorities")
            clusters = _choose("באיזה אשכול אזורי? מספר, שם או מזהה", names_of(content, "clusters"), ask)
        front = {
            "title": title,
            "summary": a.summary or f"{title}: {placeholders.INITIATIVE_SUMMARY}",
            "authorities": authorities,
            "clusters": clusters,
            "scope": scope,
            "topics": _list(a.topics, "נושא (מזהה)", "--topic", ask, _ids(content, "topics")),
            "populations": a.populations or [],
            "context": _need(
                a.context, "הקשר: routine (שגרה), emergency (חירום) או both (שניהם)", "--context", ask, list(schema.CONTEXTS)
            ),
            "status": _need(a.status, "מצב", "--status", ask, list(schema.STATUSES)),
            **({"links": [{"title": "המקור", "url": url} for url in a.links]} if a.links else {}),
            "updated": today.isoformat(),
        }
        return f"---\n{_yaml(front)}---\n\n{placeholders.INITIATIVE_BODY}"
    if collection == "forums":
        title = _need(a.title, "שם הפורום", "--title", ask)
        org_like = sorted(set(_ids(content, "organizations")) | set(_ids(content, "authorities")))
        front = {
            "title": title,
            "summary": a.summary or f"{title}: {placeholders.FORUM_SUMMARY}",
            "kind": _need(a.kind, "סוג הפורום", "--kind", ask, list(schema.FORUM_KINDS)),
            "conveners": _list(a.conveners, "מי מכנס את הפורום (מזהה של ארגון או רשות)", "--convener", ask, org_like),
            "authorities": a.authorities or [],
            "topics": _list(a.topics, "נושא (מזהה)", "--topic", ask, _ids(content, "topics")),
            "context": _need(
                a.context, "הקשר: routine (שגרה), emergency (חירום) או both (שניהם)", "--context", ask, list(schema.CONTEXTS)
            ),
            "updated": today.isoformat(),
        }
        return f"---\n{_yaml(front)}---\n\n{placeholders.FORUM_BODY}\n"
    if collection in ("topics", "populations"):
        return _yaml({"label": _need(a.title, "השם בעברית", "--title", ask)})
    raise KbError(f"unknown collection '{collection}': use one of {', '.join(registry.COLLECTIONS)}")


def new_entry(content: Path, collection: str, entry_id: str, answers: Answers, ask: Ask | None, today: dt.date) -> Path:
    if collection not in registry.COLLECTIONS:
        raise KbError(f"unknown collection '{collection}': use one of {', '.join(registry.COLLECTIONS)}")
    if not schema.is_valid_id(entry_id):
        raise KbError(
            f"'{entry_id}' is not a valid id: lowercase English letters, digits and single hyphens, starting with a letter"
        )
    info = registry.COLLECTIONS[collection]
    text = entry_text(content, collection, answers, ask, today)
    if info.format == "vocabulary":
        path = content / info.source_path
        if entry_id in _ids(content, collection):
            raise KbError(f"'{entry_id}' is already in {info.source_path}")
        before = path.read_text(encoding="utf-8") if path.exists() else None
        indented = "".join(f"  {line}\n" for line in text.splitlines())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            (before or "") + ("" if not before or before.endswith("\n") else "\n") + f"{entry_id}:\n{indented}", encoding="utf-8"
        )
    else:
        path = content / info.source_path / f"{entry_id}{info.extension}"
        if path.exists():
            raise KbError(f"{path} already exists")
        before = None
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    try:
        check_content(content)
    except ContentError as error:
        mine = [p for p in error.problems if p.path.resolve() == path.resolve()]
        if mine:  # never leave a broken file behind
            if before is None:
                path.unlink()
            else:
                path.write_text(before, encoding="utf-8")
            raise
    return path


def ask_if_terminal() -> Ask | None:
    return terminal_ask if sys.stdin.isatty() else None
