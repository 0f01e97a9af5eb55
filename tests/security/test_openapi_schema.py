"""Defect 9: unique OpenAPI component names (no colliding ``Kind`` enums), and the schema is a valid
OpenAPI document (openapi-spec-validator, in the test suite and so in CI)."""

import enum
import json

from django.apps import apps
from django.db import models
from django.test import Client
from openapi_spec_validator import validate

from zhaoshang.api.main import api


def _schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


def test_the_schema_is_valid_openapi(db):
    validate(_schema())
    validate(Client().get("/api/v1/openapi.json").json())


def test_every_model_choices_has_its_own_component_with_its_own_values():
    components = _schema()["components"]["schemas"]
    checked = 0
    for model in apps.get_models():
        for value in vars(model).values():
            if (
                isinstance(value, type)
                and issubclass(value, models.Choices | enum.Enum)
                and value.__name__ in components
            ):
                assert components[value.__name__]["enum"] == [str(m.value) for m in value], value.__name__
                checked += 1
    assert checked >= 8
    assert "Kind" not in components and "Grade" not in components


def test_follow_up_kind_call_and_enterprise_kinds_are_described_correctly():
    components = _schema()["components"]["schemas"]
    assert "call" in components["FollowUpKind"]["enum"]
    assert "actual" not in components["EnterpriseKind"]["enum"]
    assert set(components["FDIRecordKind"]["enum"]) == {"actual", "contract"}


def test_component_names_are_unique_across_operations():
    """Every $ref of every operation resolves to a component whose enum (if any) is the one the operation's
    Python type declares: collisions would make two different enums share one name."""
    schema = _schema()
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                refs.add(node["$ref"].rsplit("/", 1)[-1])
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema["paths"])
    assert refs <= set(schema["components"]["schemas"])
