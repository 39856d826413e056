"""The JSON Schemas editors use: generated from the validator's models, and true of real content."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.content import registry
from generator.content.yaml_source import split_front_matter
from generator.schemas import all_schemas

from .conftest import PROJECT, REAL_CONTENT, SAMPLE_CONTENT

SCHEMAS = PROJECT / "schemas"


def test_committed_schemas_are_what_the_models_generate():
    generated = all_schemas()
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert committed == generated, "run `.venv/bin/kb schemas` and commit schemas/"


def test_editor_settings_map_every_yaml_collection_to_its_schema():
    settings = json.loads((PROJECT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for name, collection in registry.COLLECTIONS.items():
        if collection.format != "markdown":
            assert f"./schemas/{name}.schema.json" in settings, name
            assert (SCHEMAS / f"{name}.schema.json").is_file()


def _as_json(value):
    """YAML's dates as the text a contributor typed; JSON Schema knows no dates."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    return value


def documents(content: Path):
    for name, collection in registry.COLLECTIONS.items():
        source = content / collection.source_path
        paths = [source] if collection.format == "vocabulary" else sorted(source.glob(f"*{collection.extension}"))
        for path in paths:
            text = path.read_text(encoding="utf-8")
            if collection.format == "markdown":
                text = split_front_matter(text)[0]
            yield name, path, _as_json(yaml.safe_load(text))


@pytest.mark.parametrize("content", [REAL_CONTENT, SAMPLE_CONTENT], ids=["real", "sample"])
def test_content_validates_against_the_schemas(content: Path):
    validators = {
        name.removesuffix(".schema.json"): jsonschema.Draft202012Validator(json.loads(text))
        for name, text in all_schemas().items()
    }
    checked = 0
    for name, path, data in documents(content):
        errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validators[name].iter_errors(data)]
        assert not errors, f"{path}: {errors}"
        checked += 1
    assert checked >= 15  # every collection of the folder was read


def test_the_schemas_catch_what_the_validator_catches():
    validator = jsonschema.Draft202012Validator(json.loads(all_schemas()["authorities.schema.json"]))
    assert list(validator.iter_errors({"name": "א", "type": "city", "district": "north"}))  # bad enum
    assert list(validator.iter_errors({"name": "א", "type": "municipality", "district": "north", "x": 1}))  # unknown field
    assert list(validator.iter_errors({"type": "municipality", "district": "north"}))  # missing name
    assert not list(validator.iter_errors({"name": "א", "type": "municipality", "district": "north"}))
