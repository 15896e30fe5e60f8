"""JSON Schema export of the event contract (``newsingest schema``)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from schemas.events import SCHEMA_VERSION, Event


@cache
def event_adapter() -> TypeAdapter[Event]:
    return TypeAdapter(Event)


def json_schema() -> dict[str, Any]:
    schema = event_adapter().json_schema(by_alias=True, mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://newsingest.dev/schemas/{SCHEMA_VERSION}.json"
    schema["title"] = f"newsingest article event ({SCHEMA_VERSION})"
    return schema


def dumps() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
