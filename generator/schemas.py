"""JSON Schema of every collection, generated from the same models the validator uses.

`kb schemas` writes them to ``schemas/<collection>.schema.json``; editors (VS Code's YAML
extension, through ``.vscode/settings.json``) then show mistakes while a contributor types.
A test keeps the committed files equal to what the models generate, so the two never drift.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .content import registry
from .content.schema import ID_MAX, ID_MIN, ID_RE

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(collection: registry.Collection) -> dict[str, Any]:
    model_schema = collection.model.model_json_schema()
    if collection.format != "vocabulary":
        schema = model_schema
    else:
        # A vocabulary file maps ids to terms.
        definitions = model_schema.pop("$defs", {})
        schema = {
            "type": "object",
            "propertyNames": {"pattern": ID_RE.pattern, "minLength": ID_MIN, "maxLength": ID_MAX},
            "additionalProperties": model_schema,
        }
        if definitions:
            schema["$defs"] = definitions
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{collection.name}.schema.json",
        "title": f"{collection.label} ({collection.name})",
        **{key: value for key, value in schema.items() if key != "title"},
    }


def all_schemas() -> dict[str, str]:
    """File name → JSON text, for every collection."""
    return {
        f"{name}.schema.json": json.dumps(json_schema(collection), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name, collection in registry.COLLECTIONS.items()
    }


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in all_schemas().items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
