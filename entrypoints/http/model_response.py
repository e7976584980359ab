"""An answer checked against its response model and serialised once, in the caller's thread.

A sync route that returns a dict makes FastAPI validate it against the route's
``response_model`` in the thread pool (one more hop per request, after the route's own), and
serialise it afterwards. ``model_response`` does the same check and the same serialisation
(pydantic's, by alias) where the route already runs; the route keeps its ``response_model``
for /docs.
"""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel


def model_response(model: type[BaseModel], content: Any, status_code: int) -> Response:
    """``content`` validated as ``model`` and written as JSON (raises if it does not fit)."""
    body = model.model_validate(content, from_attributes=True).model_dump_json(by_alias=True)
    return Response(body, status_code=status_code, media_type="application/json")
