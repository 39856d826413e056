"""The content model, declared once.

Every collection's shape is a pydantic model here; each field's docstring is
its documentation, and the JSON Schema and contributor docs are generated from
these models.  Field names and enum values are the contributors' contract
(``shared/spec/content-model.md``) and must not change.

Hebrew labels of enum values live next to the values so a value is never
added without its label.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError

ID_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
"""An id's shape (JSON Schema's pattern too). Matched whole: `$` alone would also accept a trailing newline."""
ID_MIN, ID_MAX = 2, 64


def is_valid_id(value: str) -> bool:
    return ID_MIN <= len(value) <= ID_MAX and bool(ID_RE.fullmatch(value))


# --- enums with their Hebrew labels -------------------------------------------------

AUTHORITY_TYPES = {"municipality": "עירייה", "local_council": "מועצה מקומית", "regional_council": "מועצה אזורית"}
DISTRICTS = {
    "north": "מחוז הצפון",
    "haifa": "מחוז חיפה",
    "center": "מחוז המרכז",
    "tel_aviv": "מחוז תל אביב",
    "jerusalem": "מחוז ירושלים",
    "south": "מחוז הדרום",
    "judea_samaria": "יהודה ושומרון",
}
SECTORS = {
    "government": "ממשלה",
    "local_government": "שלטון מקומי",
    "public_body": "גוף ציבורי",
    "third_sector": "מגזר שלישי",
    "business": "מגזר עסקי",
    "philanthropy": "פילנתרופיה",
    "academia": "אקדמיה",
    "community": "קהילה",
}
SCOPES = {"local": "מקומית", "regional": "אזורית", "national": "ארצית"}
CONTEXTS = {"routine": "שגרה", "emergency": "חירום", "both": "שגרה וחירום"}
STATUSES = {
    "idea": "רעיון",
    "planning": "בתכנון",
    "pilot": "פיילוט",
    "active": "פעילה",
    "completed": "הושלמה",
    "stopped": "הופסקה",
}
FORUM_KINDS = {
    "round_table": "שולחן עגול",
    "city_forum": "פורום עירוני",
    "regional_network": "רשת אזורית",
    "conference": "כנס",
    "steering_committee": "ועדת היגוי",
    "community_of_practice": "קהילת עשייה",
}
MEETING_FORMATS = {"in_person": "פרונטלי", "online": "מקוון", "hybrid": "משולב"}
OUTCOME_KINDS = {
    "decision": "החלטה",
    "recommendation": "המלצה",
    "model": "מודל",
    "action_item": "משימה",
    "publication": "פרסום",
}
OUTCOME_STATUSES = {"open": "פתוח", "in_progress": "בביצוע", "done": "בוצע", "dropped": "ירד מהפרק"}


def _choice(labels: dict[str, str]) -> Any:
    return Literal[tuple(labels)]  # type: ignore[valid-type]


# --- field types ------------------------------------------------------------------


@dataclass(frozen=True)
class RefTo:
    """Marks a field as a reference to an entry of one of ``collections``."""

    collections: tuple[str, ...]


def Ref(*collections: str) -> Any:
    """An id that must name an entry of one of ``collections`` (checked once all is loaded)."""
    return Annotated[
        str,
        Field(strict=True),
        BeforeValidator(_check_id_shape),
        RefTo(collections),
        WithJsonSchema({"type": "string", "pattern": ID_RE.pattern, "minLength": ID_MIN, "maxLength": ID_MAX}),
    ]


def _check_id_shape(value: Any) -> Any:
    if isinstance(value, str) and not is_valid_id(value):
        raise PydanticCustomError(
            "id_shape",
            "'{value}' is not a valid id",
            {"value": value},
        )
    return value


Text = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=1)]
Title = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Summary = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=1, max_length=400)]
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
"""Zero-width spaces, direction marks and the like: a name that holds one never meets the same name typed."""
SearchTerm = Annotated[
    str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=2, max_length=60, pattern=f"^[^{_INVISIBLE}]*$")
]
"""A word or phrase readers search for: a few words, not a sentence, nor a single letter (which would tie every
word that starts with it to the group)."""
WebUrl = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s/$.?#][^\s]*$")]
Email = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, pattern=r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")]
Phone = Annotated[
    str,
    Field(strict=True),
    # Office numbers: 04-6011111, (04) 6011111, 04.6011111, +972-4-6011111, *6050, 04-6011111/2,
    # with an optional extension (שלוחה 3, פנימי 12, ext. 3); RLM/LRM marks are ignored.
    BeforeValidator(lambda v: v.replace("\u200e", "").replace("\u200f", "") if isinstance(v, str) else v),
    StringConstraints(
        strip_whitespace=True,
        pattern=r"^[+*(]?[0-9][0-9 ().\-\u2013/]{2,22}(\s*(שלוחה|שלוח'|פנימי|ext\.?|x)\s*[0-9]{1,6})?$",
    ),
]
LinkTarget = Annotated[str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=1)]

_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PARTIAL_DATE_SCHEMA = {
    "anyOf": [
        {"type": "integer", "minimum": 1900, "maximum": 2100},
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
    ]
}


def parse_partial_date(value: Any) -> str:
    """Normalise a YAML date (``2014``, ``2018-07``, ``2024-04-25``) to its text form."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PydanticCustomError("partial_date", "'{value}' is not a date", {"value": value})
    text = str(value).strip()
    match = _PARTIAL_DATE_RE.match(text)
    if not match:
        raise PydanticCustomError("partial_date", "'{value}' is not a date", {"value": value})
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise PydanticCustomError("partial_date", "'{value}' is not a real date", {"value": value}) from None
    return text


def _number(value: Any) -> Any:
    # YAML reads .nan and .inf as floats; a page would show "(nan)".
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise PydanticCustomError("number_type", "'{value}' is not a number", {"value": value})
    return value


Number = Annotated[int | float, BeforeValidator(_number)]

PartialDate = Annotated[str, BeforeValidator(parse_partial_date), WithJsonSchema(_PARTIAL_DATE_SCHEMA)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_means_none(cls, data: Any) -> Any:
        """`populations:` with nothing after it is YAML's null: for a list field it means an empty list."""
        if isinstance(data, dict):
            empty = [name for name, info in cls.model_fields.items() if data.get(name, 0) is None and _is_list(info.annotation)]
            if empty:
                data = {**data, **{name: [] for name in empty}}
        return data


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


# --- collections ----------------------------------------------------------------


_LATIN_ONLY = f"^[^\u0590-\u05ff{_INVISIBLE}]*[A-Za-z][^\u0590-\u05ff{_INVISIBLE}]*$"
LatinName = Annotated[
    str, Field(strict=True), StringConstraints(strip_whitespace=True, min_length=2, max_length=120, pattern=_LATIN_ONLY)
]
"""A name in Latin letters (English, or Hebrew transliterated), without Hebrew letters."""


NameInLatin = Annotated[
    LatinName | None,
    Field(
        description="The name in English (or Latin letters), as the body writes it on its English pages: Jewish Agency"
        " for Israel. Shown on its page; a search for it finds every page that names the body."
    ),
]
OtherNames = Annotated[
    list[SearchTerm],
    Field(
        max_length=10,
        description='Other names readers use for it: its initials (ב"ל), a short name (ביטוח לאומי), a former name.'
        " Shown on its page; a search for any of them finds every page that names the body.",
    ),
]


class Authority(Model):
    """A local authority (רשות מקומית): a municipality, local council or regional council."""

    name: Text
    """The authority's Hebrew name, e.g. מגדל העמק."""
    name_en: NameInLatin = None
    other_names: OtherNames = []
    type: _choice(AUTHORITY_TYPES)
    """municipality (עירייה), local_council (מועצה מקומית) or regional_council (מועצה אזורית)."""
    district: _choice(DISTRICTS)
    """The district (מחוז) the authority belongs to."""
    cluster: Ref("clusters") | None = None
    """The regional cluster (אשכול) the authority is a member of, by id."""
    website: WebUrl | None = None
    """The authority's website, an http(s) address."""


class Cluster(Model):
    """A regional cluster of authorities (אשכול אזורי)."""

    name: Text
    """The cluster's Hebrew name, e.g. אשכול גליל מזרחי."""
    name_en: NameInLatin = None
    other_names: OtherNames = []
    authorities: list[Ref("authorities")] = []
    """The member authorities, by id."""
    website: WebUrl | None = None
    """The cluster's website, an http(s) address."""


class Organization(Model):
    """A ministry, public body, NGO, company, foundation or academic institution."""

    name: Text
    """The organization's name."""
    name_en: NameInLatin = None
    other_names: OtherNames = []
    sector: _choice(SECTORS)
    """The sector the organization belongs to."""
    website: WebUrl | None = None
    """The organization's website, an http(s) address."""
    description: Text | None = None
    """A short plain-text description."""


class Term(Model):
    """One term of a controlled vocabulary (a topic or a population)."""

    label: Title
    """The Hebrew label shown to readers."""
    description: Text | None = None
    """What the term covers, in a sentence."""


class Synonyms(Model):
    """Words that mean one thing to a reader searching the site: a search for any of them finds the others."""

    terms: Annotated[list[SearchTerm], Field(min_length=2, max_length=20)]
    """Two or more words or phrases that mean one thing, as readers type them and as the content writes them (any form of a word finds the others): קשישים, אזרחים ותיקים, zoom, זום."""  # noqa: E501
    note: Text | None = None
    """Why they are one thing, for the next contributor (never shown on the site)."""


class Partner(Model):
    """An organization taking part in an initiative."""

    org: Ref("organizations")
    """The partner organization, by id."""
    role: Text | None = None
    """Its role in the initiative, e.g. שותף מקצועי."""


class InitiativeOutcome(Model):
    """A result the initiative achieved."""

    text: Text
    """The result in a sentence, e.g. כ-50 משפחות יצאו לעצמאות כלכלית."""
    value: Number | None = None
    """The number the result counts, if any."""
    unit: Text | None = None
    """What the number counts, e.g. משפחות."""


class Contact(Model):
    """A person to contact, in their public role only."""

    name: Text
    """The person's name."""
    role: Text
    """Their public role, e.g. רכזת הפרויקט."""
    organization: Ref("organizations", "authorities") | None = None
    """The organization or authority they work for, by id."""
    email: Email | None = None
    """A work e-mail address."""
    phone: Phone | None = None
    """An office phone number, in quotes."""


class Link(Model):
    """A link to a document or page about the entry."""

    title: Text
    """What the link opens, e.g. מצגת שלבי הפרויקט."""
    url: LinkTarget
    """An http(s) address, or a path of a file under content/files/."""


class Initiative(Model):
    """An initiative (יוזמה): a programme, project or partnership."""

    title: Title
    """The initiative's name, at most 120 characters."""
    summary: Summary
    """What it is, in plain text, at most 400 characters."""
    authorities: list[Ref("authorities")] = []
    """The authorities where it runs, by id."""
    clusters: list[Ref("clusters")] = []
    """The regional clusters where it runs, by id."""
    scope: _choice(SCOPES)
    """local, regional or national."""
    lead: Ref("organizations", "authorities") | None = None
    """The organization or authority that leads it, by id."""
    partners: list[Partner] = []
    """Partner organizations, each with an optional role."""
    topics: Annotated[list[Ref("topics")], Field(min_length=1)]
    """Topics, at least one, from taxonomies/topics.yml."""
    populations: list[Ref("populations")] = []
    """Target populations, from taxonomies/populations.yml."""
    context: _choice(CONTEXTS)
    """routine (שגרה), emergency (חירום) or both."""
    status: _choice(STATUSES)
    """Where the initiative stands."""
    started: PartialDate | None = None
    """When it started: YYYY, YYYY-MM or YYYY-MM-DD."""
    ended: PartialDate | None = None
    """When it ended, not before it started."""
    outcomes: list[InitiativeOutcome] = []
    """What it achieved."""
    contacts: list[Contact] = []
    """People to contact, in their public role."""
    links: list[Link] = []
    """Its public sources: the documents and pages its facts come from (a press release, the authority's page,
    a presentation), shown on its page under מקורות. Every initiative should cite at least one."""
    related: list[Ref("initiatives")] = []
    """Related initiatives, by id."""
    updated: PartialDate
    """When the facts were last checked."""


class Meeting(Model):
    """One meeting of a forum."""

    date: PartialDate
    """When it met."""
    title: Title
    """What the meeting was, e.g. מפגש שיח בין מגזרי."""
    format: _choice(MEETING_FORMATS)
    """in_person, online or hybrid."""
    participants: Annotated[int, Field(strict=True, ge=0)] | None = None
    """How many took part, a whole number."""
    summary: Text | None = None
    """What happened, in plain text."""


class Milestone(Model):
    """A dated step on the way to an outcome."""

    date: PartialDate
    """When it was reached, or is planned."""
    title: Title
    """What the step is, e.g. אושר תקציב."""


OutcomeId = Annotated[
    str,
    Field(strict=True),
    BeforeValidator(_check_id_shape),
    WithJsonSchema({"type": "string", "pattern": ID_RE.pattern, "minLength": ID_MIN, "maxLength": ID_MAX}),
]


class ForumOutcome(Model):
    """Something a forum produced: a decision, recommendation, model, action item or publication."""

    id: OutcomeId | None = None
    """Optional: a permanent name for the outcome, with the same rules as a file's id (lowercase Latin letters,
    digits and single hyphens, 2 to 64 characters, starting with a letter) and unique within the forum, e.g.
    partnership-manager. Its row's address on the forum's page is #outcome-<id>; without it the address is made
    from the title, and changes when the title does. Never change it once published: shared links use it."""
    title: Title
    """The outcome in a line."""
    kind: _choice(OUTCOME_KINDS)
    """decision, recommendation, model, action_item or publication."""
    description: Text | None = None
    """More detail, in plain text."""
    owner: Ref("organizations", "authorities") | None = None
    """Who is responsible for it, by id."""
    meeting: PartialDate | None = None
    """The date of the meeting (above) where it was produced."""
    due: PartialDate | None = None
    """When it is due."""
    status: _choice(OUTCOME_STATUSES)
    """open, in_progress, done or dropped."""
    progress: Annotated[int, Field(strict=True, ge=0, le=100)] | None = None
    """Optional: how far along it is, a whole number from 0 to 100 (percent), shown as a bar with its number."""
    milestones: list[Milestone] = []
    """Optional: dated steps (date and title), shown under the outcome in their order of date."""
    initiatives: list[Ref("initiatives")] = []
    """Optional: the initiatives that carry it out, by id; each initiative's page links back to the outcome."""


class Forum(Model):
    """A forum (פורום): a round table, city forum, network, conference or committee."""

    title: Title
    """The forum's name, at most 120 characters."""
    summary: Summary
    """What it is, in plain text, at most 400 characters."""
    kind: _choice(FORUM_KINDS)
    """What kind of forum it is."""
    conveners: Annotated[list[Ref("organizations", "authorities")], Field(min_length=1)]
    """Who convenes it, at least one, by id."""
    authorities: list[Ref("authorities")] = []
    """Authorities it concerns, by id."""
    members: list[Ref("organizations", "authorities")] = []
    """Member organizations and authorities, by id."""
    topics: Annotated[list[Ref("topics")], Field(min_length=1)]
    """Topics, at least one."""
    populations: list[Ref("populations")] = []
    """Target populations."""
    context: _choice(CONTEXTS)
    """routine (שגרה), emergency (חירום) or both."""
    meetings: list[Meeting] = []
    """Its meetings."""
    outcomes: list[ForumOutcome] = []
    """What it produced."""
    links: list[Link] = []
    """Optional: its public sources, the documents and pages its facts come from (minutes, an invitation, a
    summary published by a convener), shown on its page under מקורות."""
    updated: PartialDate
    """When the facts were last checked."""


class Page(Model):
    """A free page: about, how to contribute, the accessibility statement."""

    title: Title
    """The page's title."""
    reviewed: PartialDate | None = None
    """For the accessibility statement: when the site's accessibility was last reviewed, YYYY-MM-DD. Optional;
    kb check warns (and the page of entries due for a re-check says so) when it is missing or more than a year
    before the build date."""
