"""The API's shape is a contract: paths, methods, parameters and the shapes of bodies and answers.

``tests/api/snapshots/openapi_shape.json`` is the committed shape. A refactor must leave it as it is;
a deliberate API change regenerates it (``UPDATE_API_SNAPSHOT=1 pytest tests/api/test_openapi_snapshot.py``)
and the diff of the snapshot shows the change in review. Titles and descriptions are prose, not shape.
"""

import json
import os
from pathlib import Path

from zhaoshang.api.main import api

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi_shape.json"


def _shape(node, components, seen=()):
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return {"$recursive": name}
        return _shape(components[name], components, (*seen, name))
    if not isinstance(node, dict):
        return node
    if "enum" in node:
        return {"enum": sorted(map(str, node["enum"]))}
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            options = [_shape(option, components, seen) for option in node[key]]
            return {key: sorted(options, key=lambda s: json.dumps(s, sort_keys=True, ensure_ascii=False))}
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        return {
            "object": {name: _shape(value, components, seen) for name, value in node.get("properties", {}).items()},
            "required": sorted(node.get("required", [])),
        }
    if kind == "array":
        return {"array": _shape(node.get("items", {}), components, seen)}
    out = {"type": kind}
    for key in ("format", "minimum", "maximum", "maxLength", "minLength", "exclusiveMinimum"):
        if key in node:
            out[key] = node[key]
    return out


def content(response: dict) -> dict:
    return response.get("content", {})


def api_shape() -> dict:
    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    shape = {}
    for path, methods in sorted(schema["paths"].items()):
        for method, operation in sorted(methods.items()):
            body = operation.get("requestBody", {}).get("content", {})
            shape[f"{method.upper()} {path}"] = {
                "parameters": sorted(
                    (
                        {
                            "name": p["name"],
                            "in": p["in"],
                            "required": p.get("required", False),
                            "schema": _shape(p.get("schema", {}), components),
                        }
                        for p in operation.get("parameters", [])
                    ),
                    key=lambda p: (p["in"], p["name"]),
                ),
                "body": {kind: _shape(c.get("schema", {}), components) for kind, c in sorted(body.items())},
                "responses": {
                    str(code): {
                        kind: _shape(c.get("schema", {}), components) for kind, c in r.get("content", {}).items()
                    }
                    for code, r in sorted(operation.get("responses", {}).items())
                },
            }
    return shape


def test_api_shape_matches_snapshot():
    shape = json.loads(json.dumps(api_shape(), ensure_ascii=False))  # as stored: string keys, lists
    if os.environ.get("UPDATE_API_SNAPSHOT"):
        SNAPSHOT.write_text(json.dumps(shape, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert sorted(shape) == sorted(expected), "API operations added or removed"
    for operation in expected:
        assert shape[operation] == expected[operation], operation
