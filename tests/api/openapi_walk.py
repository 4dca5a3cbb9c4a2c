"""Walk the served OpenAPI document: every operation with its path filled in (generic tests)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

_PARAM = re.compile(r"\{([^}:]+)(?::[^}]+)?\}")

# A harmless value per schema type/format for path parameters that are not ids.
_SAMPLES = {"date": "2026-03-16", "integer": "1", "uuid": "00000000-0000-4000-8000-000000000000"}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the template, e.g. /api/me/devices/{device_id}
    operation_id: str
    path_params: dict[str, dict[str, Any]]  # name -> schema

    def fill(self, values: dict[str, str] | None = None) -> str:
        """The path with each parameter replaced: by `values`, else by a sample of its type."""
        values = values or {}

        def one(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in values:
                return values[name]
            schema = self.path_params.get(name, {})
            return _SAMPLES.get(schema.get("format", ""), _SAMPLES.get(schema.get("type", ""), "x"))

        return _PARAM.sub(one, self.path)


def operations(client: httpx.Client) -> list[Operation]:
    document = client.get("/schema/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method, op in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            params = {
                p["name"]: p.get("schema", {})
                for p in [*item.get("parameters", []), *op.get("parameters", [])]
                if p.get("in") == "path"
            }
            found.append(Operation(method.upper(), path, op.get("operationId", ""), params))
    return found
