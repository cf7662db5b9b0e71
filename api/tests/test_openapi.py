"""The OpenAPI document (issue 14, item 4): 3.1, every operation summarised in Vietnamese, and an
example in every JSON body it takes or gives."""

from typing import Any

import pytest

from api.main import api


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def _has_example(schema: Any, components: dict[str, Any], seen: set[str]) -> bool:
    if not isinstance(schema, dict):
        return False
    if "example" in schema or "examples" in schema:
        return True
    if ref := schema.get("$ref"):
        name = ref.rsplit("/", 1)[-1]
        if name in seen:
            return False
        seen.add(name)
        return _has_example(components[name], components, seen)
    parts = [*schema.get("properties", {}).values(), schema.get("items"), schema.get("additionalProperties")]
    parts += [*schema.get("anyOf", []), *schema.get("allOf", []), *schema.get("oneOf", [])]
    return any(_has_example(part, components, seen) for part in parts)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, op) for path, ops in schema["paths"].items() for method, op in ops.items()]


def test_the_document_is_openapi_3_1_with_every_operation(schema):
    assert schema["openapi"].startswith("3.1")
    assert len(_operations(schema)) >= 100


def test_every_operation_has_a_vietnamese_summary(schema):
    vietnamese = set("ăâđêôơưáàảãạếềểễệốồổỗộớờởỡợứừửữựíìỉĩịúùủũụýỳỷỹỵéèẻẽẹóòỏõọ")
    missing = [
        f"{method} {path}"
        for method, path, op in _operations(schema)
        if not (set(op.get("summary", "").lower()) & vietnamese)
    ]
    assert not missing, missing


def test_every_json_body_in_or_out_carries_an_example(schema):
    components = schema["components"]["schemas"]
    missing = []
    for method, path, op in _operations(schema):
        bodies = [("in", op.get("requestBody", {}).get("content", {}).get("application/json"))]
        bodies += [
            ("out", response.get("content", {}).get("application/json"))
            for code, response in op.get("responses", {}).items()
            if str(code).startswith("2")
        ]
        for direction, content in bodies:
            if content is not None and not _has_example(content.get("schema"), components, set()):
                missing.append(f"{method} {path} ({direction})")
    assert not missing, missing
