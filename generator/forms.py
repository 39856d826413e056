"""The issue form that proposes an initiative, made from the content model and the content (`kb forms`), and the
way back: an issue written with it, as GitHub renders it, read into a new entry (`kb new … --from-issue FILE`).

A reader who can fill a web form picks authorities, clusters, topics, populations, the context and the status by
their Hebrew names; each choice carries its id in parentheses, which is what is read back. The committed form is
checked against this module by a test, so it is never older than the content it offers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import schema
from .scaffold import Answers, names_of

FORMS_DIR = Path(".github") / "ISSUE_TEMPLATE"
INITIATIVE_FORM = "propose-initiative.yml"
LABEL = "initiative-proposal"
"""The label the form gives its issues; the workflow that turns them into pull requests acts on it."""
NO_RESPONSE = "_No response_"
"""What GitHub writes under an optional question left empty."""


@dataclass(frozen=True)
class Question:
    field: str
    """The field of `Answers` it fills (or "source", the link to the public source)."""
    label: str
    kind: str
    """input, textarea or dropdown."""
    required: bool
    description: str = ""
    many: bool = False


QUESTIONS = (
    Question("title", "שם היוזמה", "input", True, "כפי שהיא מופיעה במקור"),
    Question("summary", "תקציר", "textarea", True, "משפט או שניים במילים שלכם: מה היוזמה ולמי היא מיועדת (עד 400 תווים)"),
    Question("scope", "היקף", "dropdown", True),
    Question("authorities", "רשויות", "dropdown", False, "הרשויות שבהן היוזמה פועלת (ליוזמה מקומית)", True),
    Question("clusters", "אשכולות אזוריים", "dropdown", False, "האשכול שבו היוזמה פועלת (ליוזמה אזורית)", True),
    Question("topics", "נושאים", "dropdown", True, "", True),
    Question("populations", "אוכלוסיות", "dropdown", False, "", True),
    Question("context", "הקשר", "dropdown", True),
    Question("status", "מצב", "dropdown", True),
    Question("source", "קישור למקור", "input", True, "הודעה לעיתונות, דף באתר הרשות, מצגת או סיכום פורום"),
)
_CHOICES = {"scope": schema.SCOPES, "context": schema.CONTEXTS, "status": schema.STATUSES}
_FROM_CONTENT = {"authorities": "authorities", "clusters": "clusters", "topics": "topics", "populations": "populations"}
_ID_AT_END = re.compile(r"\(([a-z][a-z0-9_-]*)\)\s*$")


def options(question: Question, content: Path) -> list[str]:
    """A dropdown's choices: each Hebrew name with its id in parentheses, the part read back."""
    if question.field in _CHOICES:
        return [f"{label} ({value})" for value, label in _CHOICES[question.field].items()]
    return [f"{name} ({key})" for key, name in names_of(content, _FROM_CONTENT[question.field]).items()]


def initiative_form(content: Path) -> str:
    """The issue form's YAML."""
    body: list[dict] = [
        {
            "type": "markdown",
            "attributes": {
                "value": "תודה על ההצעה! מה שתבחרו ותכתבו כאן נקרא ישירות לרשומה חדשה במאגר (`kb new --from-issue`), "
                "שנבדקת לפני שהיא מתפרסמת. כתבו רק מידע שמופיע במקור פומבי, בלי מידע אישי ובלי מספרי תעודת זהות."
            },
        }
    ]
    for question in QUESTIONS:
        attributes: dict = {"label": question.label}
        if question.description:
            attributes["description"] = question.description
        if question.kind == "dropdown":
            attributes["options"] = options(question, content)
            if question.many:
                attributes["multiple"] = True
        if question.field == "source":
            attributes["placeholder"] = "https://"
        body.append(
            {
                "type": question.kind,
                "id": question.field,
                "attributes": attributes,
                "validations": {"required": question.required},
            }
        )
    body.append(
        {
            "type": "checkboxes",
            "id": "privacy",
            "attributes": {
                "label": "פרטיות",
                "options": [{"label": "ההצעה אינה כוללת מידע אישי ואינה כוללת מספרי תעודת זהות.", "required": True}],
            },
        }
    )
    form = {
        "name": "הצעת יוזמה",
        "description": "מכירים יוזמה של רשות מקומית או ארגון שכדאי להוסיף למאגר? ממלאים טופס, והוא נקרא לרשומה חדשה.",
        "title": "הצעת יוזמה: ",
        "labels": [LABEL],
        "body": body,
    }
    header = "# Made by `kb forms` from the content model and the content: edit generator/forms.py, not this file.\n"
    return header + yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=1000)


def write_forms(content: Path, project: Path) -> list[Path]:
    path = project / FORMS_DIR / INITIATIVE_FORM
    path.write_text(initiative_form(content), encoding="utf-8")
    return [path]


def answers_from_issue(text: str) -> Answers:
    """An issue written with the form, as GitHub renders it (``### label``, a blank line, the value), read into
    the answers of a new initiative. The text is untrusted: it only ever becomes values of fields, which the
    content's check then judges like any contributor's."""
    by_label = {question.label: question for question in QUESTIONS}
    values: dict[str, str] = {}
    current: Question | None = None
    lines: list[str] = []
    for line in [*text.replace("\r\n", "\n").split("\n"), "### "]:
        if line.startswith("### "):
            if current is not None:
                value = "\n".join(lines).strip()
                values[current.field] = "" if value == NO_RESPONSE else value
            current, lines = by_label.get(line[4:].strip()), []
        elif current is not None:
            lines.append(line)
    answers = Answers()
    for question in QUESTIONS:
        value = values.get(question.field, "")
        if not value:
            continue
        if question.kind == "dropdown":
            chosen = [_id_of(part) for part in value.split(", ")]
            picked = [choice for choice in chosen if choice]
            setattr(answers, question.field, picked if question.many else (picked[0] if picked else None))
        elif question.field == "source":
            answers.links = [" ".join(value.split())]
        else:
            setattr(answers, question.field, " ".join(value.split()))
    return answers


def _id_of(choice: str) -> str | None:
    found = _ID_AT_END.search(choice)
    return found.group(1) if found else None
