"""Fast JSON responses: pydantic serializes in Rust; FastAPI's re-validation is skipped."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import Response
from pydantic import BaseModel, TypeAdapter


def json_response(data: BaseModel | dict[str, Any], status_code: int = 200) -> Response:
    body = data.model_dump_json() if isinstance(data, BaseModel) else orjson.dumps(data)
    return Response(content=body, status_code=status_code, media_type="application/json")


def json_list(items: Sequence[BaseModel], status_code: int = 200) -> Response:
    adapter: TypeAdapter[Sequence[BaseModel]] = TypeAdapter(Sequence[BaseModel])
    body = adapter.dump_json(items, serialize_as_any=True)
    return Response(content=body, status_code=status_code, media_type="application/json")
