"""Stage 2, validate: each raw entry against its collection's schema, one entry at a time.

Every problem is collected (none stops the others) and explained for a
contributor: what is wrong, and what to type instead.  References are only
checked for shape here; whether their targets exist is stage 3.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from . import body, links, personal_data, placeholders, registry, schema, text_rules
from .body import RenderedBody
from .load import RawEntry, field_name
from .model import Entry, link_is_file, link_is_web

Checked = tuple[Entry | None, list[Problem], list[Problem]]
ValidationCache = dict[int, tuple[RawEntry, Checked]]
"""Each raw entry's result, by the raw entry itself (its id(), the entry kept alive beside it): the preview hands
the same raw entry again for a file that did not change (`load.FileCache`)."""


def validate_entries(
    raw_entries: list[RawEntry], cache: ValidationCache | None = None
) -> tuple[list[Entry], list[Problem], list[Problem]]:
    """The valid entries, the problems that stop a build, and warnings that do not."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    kept: ValidationCache = {}
    for raw in raw_entries:
        known = cache.get(id(raw)) if cache is not None else None
        entry, found, warned = known[1] if known and known[0] is raw else validate_entry(raw)
        kept[id(raw)] = (raw, (entry, found, warned))
        problems.extend(found)
        warnings.extend(warned)
        if entry is not None:
            entries.append(entry)
    if cache is not None:
        # Only this check's entries: a vocabulary's are new on every check, and a long preview would keep them all.
        cache.clear()
        cache.update(kept)
    return entries, problems, warnings


def validate_entry(raw: RawEntry) -> Checked:
    """One raw entry: the valid entry (None if it has problems), its problems and its warnings."""
    warnings: list[Problem] = []
    found = list(_check_text(raw))
    rendered, body_problems = render_body(raw)
    found.extend(problem for problem in body_problems if not problem.is_warning)
    warnings.extend(problem for problem in body_problems if problem.is_warning)
    model = None
    collection = registry.COLLECTIONS[raw.collection]
    reported: set[tuple] = set()
    try:
        model = collection.model.model_validate(raw.data)
    except ValidationError as error:
        errors = _dedupe(error.errors())
        reported = {tuple(err["loc"]) for err in errors}
        found.extend(_explain(raw, collection.model, err) for err in errors)
    found.extend(_leading_zeros(raw, reported))
    if model is not None:
        found.extend(_check_rules(raw, model))
        warnings.extend(_contact_warnings(raw, model))
        warnings.extend(_placeholder_warnings(raw, model))
    if model is None or found:
        return None, found, warnings
    return Entry(raw.collection, raw.id, raw.path, model, raw.smap, raw.body, raw.body_line, rendered), found, warnings


_PRIVATE_LOOKING = (
    (
        "phone",
        personal_data.private_phone,
        "looks like a mobile number",
        "Publish an office number if there is one; a private number must not be published",
    ),
    (
        "email",
        personal_data.personal_mailbox,
        "looks like a personal mailbox",
        "Publish a work address (of the authority or the organization) if there is one",
    ),
)
"""(contact field, the test, what it looks like, what to do)."""


def _contact_warnings(raw: RawEntry, model: Any) -> Iterator[Problem]:
    """The contract asks for people in their public role, with office numbers: a mobile number or a personal
    mailbox may be a private one. Both can be legitimate (a work mobile), so they are warnings, not errors."""
    for index, contact in enumerate(getattr(model, "contacts", [])):
        for name, looks_private, what, hint in _PRIVATE_LOOKING:
            value = getattr(contact, name)
            if value and looks_private(value):
                yield _problem(raw, ("contacts", index, name), f"'{value}' {what}", hint, severity="warning")


def _placeholder_warnings(raw: RawEntry, model: Any) -> Iterator[Problem]:
    """Text `kb new` wrote for the contributor to replace, still there (`placeholders`)."""
    summary = getattr(model, "summary", None)
    if summary and placeholders.placeholder_in(summary):
        yield _problem(
            raw,
            ("summary",),
            f"{placeholders.CATEGORY}: the summary is still the template's text",
            "Write in a sentence or two what it is and for whom",
            severity="warning",
        )
    if placeholders.placeholder_in(raw.body) or (
        raw.collection == "initiatives" and placeholders.only_template_headings(raw.body)
    ):
        yield Problem(
            raw.path,
            raw.body_line,
            raw.collection,
            raw.id,
            "body",
            f"{placeholders.CATEGORY}: the text under the front matter is still the template's",
            "Write what was done, with whom, what came of it and what others can learn (or delete the empty headings)",
            "warning",
        )


def _problem(
    raw: RawEntry, loc: tuple, message: str, hint: str = "", line_of: tuple | None = None, severity: str = "error"
) -> Problem:
    """A problem in the field at ``loc``, on the line of ``line_of`` (default: the field itself)."""
    line = raw.smap.line(loc if line_of is None else line_of)
    return Problem(raw.path, line, raw.collection, raw.id, field_name(loc) or "-", message, hint, severity)


def _dedupe(errors: list[dict]) -> list[dict]:
    """One error per field: a union reports each branch that failed."""
    seen, out = set(), []
    for err in errors:
        loc = tuple(part for part in err["loc"] if isinstance(part, int) or not _is_branch(part))
        if loc in seen:
            continue
        seen.add(loc)
        out.append({**err, "loc": loc})
    return out


def _is_branch(part: str) -> bool:
    # pydantic names union branches by type (`int`, `float`, `function-before[...]`)
    return part in ("int", "float", "str") or "[" in part


# --- explaining schema errors -------------------------------------------------------

_YAML_KINDS = {bool: "a yes/no value", int: "a number", float: "a number", dt.date: "a date", dt.datetime: "a date"}


def _field_doc(model: type[BaseModel], loc: tuple) -> str:
    """The docstring of the field that ``loc`` ends in."""
    names = [part for part in loc if not isinstance(part, int)]
    if not names:
        return ""
    info = _owner_of(model, tuple(names[:-1])).model_fields.get(names[-1])
    return (info.description or "") if info else ""


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


def _owner_of(model: type[BaseModel], loc: tuple) -> type[BaseModel]:
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        inner = _inner_model(info.annotation) if info else None
        if inner is None:
            break
        current = inner
    return current


def _explain(raw: RawEntry, model: type[BaseModel], err: dict) -> Problem:
    loc: tuple = err["loc"]
    kind = err["type"]
    name = str(loc[-1]) if loc and not isinstance(loc[-1], int) else field_name(loc)
    value = err.get("input")
    located = raw.smap.get(loc)
    typed = located.raw if located and located.raw is not None else value
    doc = _field_doc(model, loc)
    about = f" ({doc.rstrip('.')})" if doc else ""

    if kind == "missing":
        return _problem(raw, loc, f"the required field '{name}' is missing", f"Add a line '{name}: ...'{about}", line_of=loc[:-1])
    if kind == "extra_forbidden":
        owner = _owner_of(model, loc[:-1])
        guess = difflib.get_close_matches(name, list(owner.model_fields), n=1)
        hint = f"Did you mean '{guess[0]}'? " if guess else ""
        return _problem(raw, loc, f"'{name}' is not a known field", f"{hint}Known fields: {', '.join(owner.model_fields)}")
    if kind == "literal_error":
        allowed = [a.strip(" '") for a in err["ctx"]["expected"].replace(" or ", ", ").split(",")]
        named = _named_in_hebrew(str(typed), allowed)
        guess = [named] if named else difflib.get_close_matches(str(typed), allowed, n=1)
        hint = f"Did you mean '{guess[0]}'? " if guess else ""
        if named:
            hint += f"The values are written in English ('{named}' is shown on the site as '{_LABELS[named]}'). "
        return _problem(raw, loc, f"'{typed}' is not an allowed value", f"{hint}Use one of: {', '.join(allowed)}")
    if kind in ("string_type", "int_type", "number_type", "float_type"):
        return _problem(raw, loc, *_wrong_type(kind, value, typed, about, _is_required(model, loc)))
    if kind == "string_too_long":
        limit = err["ctx"]["max_length"]
        return _problem(
            raw, loc, f"is {len(value)} characters long, more than {limit}", f"Shorten it to at most {limit} characters"
        )
    if kind == "string_too_short":
        least = err.get("ctx", {}).get("min_length", 1)
        if least > 1 and isinstance(value, str) and value.strip():
            size = len(value.strip())
            return _problem(
                raw, loc, f"is {size} character{'s' * (size != 1)} long, less than {least}", f"Write a longer value{about}"
            )
        return _problem(raw, loc, "is empty", f"Write a value{about} or delete the line")
    if kind == "too_short":
        least = err.get("ctx", {}).get("min_length", 1)
        if least > 1:
            return _problem(raw, loc, f"needs at least {least} values, it has {len(value or [])}", f"Add more{about}")
        return _problem(raw, loc, "needs at least one value", f"Add at least one{about}")
    if kind == "too_long":
        most = err.get("ctx", {}).get("max_length", 0)
        return _problem(raw, loc, f"has {len(value or [])} values, more than {most}", f"Keep the {most} that matter most")
    if kind == "string_pattern_mismatch":
        return _problem(raw, loc, *_pattern_message(name, typed))
    if kind == "id_shape":
        return _problem(
            raw,
            loc,
            f"'{typed}' is not a valid id",
            "An id is lowercase English letters, digits and single hyphens, starting with a letter (e.g. migdal-haemek)",
        )
    if kind == "partial_date":
        return _problem(
            raw, loc, f"'{typed}' is not a valid date", "Write the date as YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-05-11)"
        )
    if kind in ("list_type", "tuple_type"):
        return _problem(raw, loc, "should be a list", "Write it as [a, b] or as lines starting with '- '")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        where = "the front matter" if not loc else f"'{name}'"
        return _problem(raw, loc, f"{where} should be a set of fields", "Write one 'field: value' per line")
    if kind in ("greater_than_equal", "greater_than"):
        return _problem(raw, loc, f"'{typed}' is too small", "Use a number that is zero or more")
    if kind in ("less_than_equal", "less_than"):
        limit = err.get("ctx", {}).get("le", err.get("ctx", {}).get("lt"))
        return _problem(raw, loc, f"'{typed}' is too large", f"Use a number of at most {limit}")
    return _problem(raw, loc, err["msg"], "Fix the value")


_DERIVED_OUTCOME_ID = re.compile(r"[0-9a-f]{8}(?:-[0-9]+)?")
"""The end of the address an outcome without an id gets (`model.outcome_anchors`): no id may take that shape."""


_CHOICES = (
    schema.AUTHORITY_TYPES,
    schema.DISTRICTS,
    schema.SECTORS,
    schema.SCOPES,
    schema.CONTEXTS,
    schema.STATUSES,
    schema.FORUM_KINDS,
    schema.MEETING_FORMATS,
    schema.OUTCOME_KINDS,
    schema.OUTCOME_STATUSES,
)
"""Every field of choices, with the Hebrew words the site shows for its values."""
_LABELS = {value: label for labels in _CHOICES for value, label in labels.items()}
_HEBREW_LETTER = re.compile("[\u05d0-\u05ea]")


def _named_in_hebrew(typed: str, allowed: list[str]) -> str | None:
    """The value a contributor meant by writing the Hebrew word the site shows for it (פעילה → active), or a form
    of it (פעיל, הושלם, שיגרה); None where the text is no such word."""
    if not _HEBREW_LETTER.search(typed):
        return None
    labels = next((labels for labels in _CHOICES if set(labels) == set(allowed)), None)
    if labels is None:
        return None
    by_word = {label: value for value, label in labels.items()}
    word = " ".join(typed.replace("״", "").replace('"', "").split())
    if word in by_word:
        return by_word[word]
    close = difflib.get_close_matches(word, list(by_word), n=1, cutoff=0.7)
    return by_word[close[0]] if close else None


def _misleading_address(url: str) -> str | None:
    """Why a web address would open another site than the one a reader is shown (the page shows a source's site
    as Python reads it, browsers open what they read), or None."""
    if "\\" in url:
        return "holds a backslash, which browsers read as '/': the site shown and the site opened would differ"
    site = url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in site:
        return "names a user before its site (user@site), which hides the site it really opens: the part after '@'"
    return None


def _is_required(model: type[BaseModel], loc: tuple) -> bool:
    names = [part for part in loc if not isinstance(part, int)]
    info = _owner_of(model, tuple(names[:-1])).model_fields.get(names[-1]) if names else None
    return bool(info and info.is_required())


def _wrong_type(kind: str, value: Any, typed: Any, about: str, required: bool) -> tuple[str, str]:
    if value is None:
        return "is empty", f"Write a value after the colon{about}" + ("" if required else " or delete the line")
    if isinstance(value, (list, dict)):
        shape = "a list" if isinstance(value, list) else "a set of fields"
        return f"should be a single value, not {shape}", f"Write one value{about}"
    if kind == "string_type":
        what = _YAML_KINDS.get(type(value), "something other than text")
        is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
        shown = f" ({value!r})" if is_number and str(value) != str(typed) else ""
        return (
            f"YAML read {typed} as {what}{shown}, not as text",
            f'Put it in quotes: "{typed}"',
        )
    expected = "a whole number" if kind == "int_type" else "a number"
    return f"'{typed}' is not {expected}", f"Write {expected} without quotes or units"


def _pattern_message(name: str, typed: Any) -> tuple[str, str]:
    if name in ("website",) or name == "url":
        return f"'{typed}' is not a web address", "Write the full address, starting with https://"
    if name == "email":
        return f"'{typed}' is not an e-mail address", "Write it as name@example.org"
    if name == "phone":
        return f"'{typed}' is not a phone number", 'Write digits and dashes in quotes, e.g. "04-1234567"'
    if name.split("[")[0] in ("other_names", "terms"):
        return f"'{typed}' holds an invisible mark (a zero-width space or a direction mark)", "Type it again by hand"
    if name == "name_en":
        return f"'{typed}' is not a name in Latin letters alone", "Write the English name by hand (Ministry of Education)"
    return f"'{typed}' has the wrong form", "Check the value against the contributor guide"


# --- rules beyond the schema --------------------------------------------------------


def _walk_strings(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _walk_strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _walk_strings(value, path + (index,))


_LEADING_ZERO = re.compile(r"^[+-]?0[0-9_]+$")


def _leading_zeros(raw: RawEntry, reported: set[tuple]) -> Iterator[Problem]:
    """YAML 1.1 reads 0320 as the octal number 208: a number must never change silently.
    (In a text field the schema already says "YAML read ... as a number"; not said twice.)"""
    for path, located in raw.smap.locations.items():
        if path not in reported and located.plain and located.raw and _LEADING_ZERO.match(located.raw):
            yield _problem(
                raw,
                path,
                f"YAML reads {located.raw} as a different number, because of the leading zero",
                f'Remove the leading zero, or put it in quotes if it is text: "{located.raw}"',
            )


def _check_text(raw: RawEntry) -> Iterator[Problem]:
    for path, text in _walk_strings(raw.data):
        for message, hint in text_rules.field_findings(text):
            yield _problem(raw, path, message, hint)


_SECTIONS = "Keep headings for the sections of the text; a line that is not a section's title is a paragraph"


def render_body(raw: RawEntry) -> tuple[RenderedBody | None, list[Problem]]:
    """The body rendered (for the checks and the later stages), with what is wrong in it."""

    def problem(line: int, message: str, hint: str, severity: str = "error") -> Problem:
        return Problem(raw.path, raw.body_line + line - 1, raw.collection, raw.id, "body", message, hint, severity)

    if not raw.body:
        return None, []
    if len(raw.body) > body.MAX_LENGTH:
        return None, [
            problem(
                1,
                f"the text is {len(raw.body):,} characters long, more than {body.MAX_LENGTH:,}",
                "Shorten it, or put the long part in a file in content/files/ and link to it",
            )
        ]
    if count := body.too_many_headings(raw.body):
        return None, [problem(1, f"the text has {count:,} lines that start a heading, more than {body.MAX_HEADINGS}", _SECTIONS)]
    if too_big := body.oversized_table(raw.body):
        line, what = too_big
        return None, [problem(line, what, "Split it into smaller tables, or attach it as a spreadsheet in content/files/")]
    rendered = body.render(raw.body, links.template_anchors(registry.COLLECTIONS[raw.collection].template))
    if len(rendered.headings) > body.MAX_HEADINGS:
        return None, [
            problem(
                rendered.headings[body.MAX_HEADINGS].line,
                f"the text has {len(rendered.headings):,} headings, more than {body.MAX_HEADINGS}",
                _SECTIONS,
            )
        ]
    return rendered, [problem(*finding) for finding in text_rules.body_findings(raw.body, rendered)]


def _check_rules(raw: RawEntry, model: Any) -> Iterator[Problem]:
    if isinstance(model, schema.Initiative):
        if not model.authorities and not model.clusters and model.scope != "national":
            yield _problem(
                raw,
                ("scope",),
                "names no authority or cluster and is not national",
                "Add 'authorities: [id]' or 'clusters: [id]', or set 'scope: national'",
            )
        if model.started and model.ended and _before(model.ended, model.started):
            yield _problem(
                raw, ("ended",), f"ends ({model.ended}) before it starts ({model.started})", "Fix one of the two dates"
            )
    for index, link in enumerate(getattr(model, "links", [])):
        if not link_is_web(link.url) and not link_is_file(link.url):
            yield _problem(
                raw,
                ("links", index, "url"),
                f"'{link.url}' is neither a web address nor a file",
                "Write an address starting with https://, or a path of a file in content/files/ (e.g. files/plan.pdf)",
            )
    addresses = [(("links", i, "url"), link.url) for i, link in enumerate(getattr(model, "links", []))]
    addresses += [(("website",), model.website)] if getattr(model, "website", None) else []
    for where, url in addresses:
        misleading = _misleading_address(url) if link_is_web(url) else None
        if misleading:
            yield _problem(
                raw,
                where,
                f"'{url}' {misleading}",
                "Write the address as the browser shows it, e.g. https://www.gov.il/he/departments",
            )
    if isinstance(model, schema.Forum):
        dates = {m.date for m in model.meetings}
        for index, outcome in enumerate(model.outcomes):
            if outcome.meeting and outcome.meeting not in dates:
                shown = ", ".join(sorted(dates)) or "none"
                yield _problem(
                    raw,
                    ("outcomes", index, "meeting"),
                    f"no meeting on {outcome.meeting} is listed in 'meetings'",
                    f"Use the date of one of the meetings ({shown}) or add that meeting",
                )
        first_with: dict[str, int] = {}
        for index, outcome in enumerate(model.outcomes):
            if outcome.id is None:
                continue
            if outcome.id in first_with:
                yield _problem(
                    raw,
                    ("outcomes", index, "id"),
                    f"the id '{outcome.id}' is already the id of outcomes[{first_with[outcome.id]}]",
                    "Give each outcome of the forum its own id (it is the end of the outcome's address), or leave it out",
                )
            else:
                first_with[outcome.id] = index
            if _DERIVED_OUTCOME_ID.fullmatch(outcome.id):
                yield _problem(
                    raw,
                    ("outcomes", index, "id"),
                    f"the id '{outcome.id}' has the shape of the addresses the site makes from titles (eight hex digits)",
                    "Choose words, e.g. joint-team: this one could take over the address another outcome already has",
                )
    if isinstance(model, schema.Page) and raw.id in registry.RESERVED_PAGE_IDS:
        yield Problem(
            raw.path,
            1,
            raw.collection,
            raw.id,
            "id",
            f"'{raw.id}' is a name the site uses itself",
            "Rename the file to another id",
        )


def _before(later: str, earlier: str) -> bool:
    """Compare partial dates at the precision both have: 2018 is not before 2018-07."""
    size = min(len(later), len(earlier))
    return later[:size] < earlier[:size]
