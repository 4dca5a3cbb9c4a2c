"""The baseline: a bare Litestar JSON app on the same uvicorn settings as `fotfeste serve`."""

from __future__ import annotations

import argparse
import gc
from typing import Annotated

import msgspec
import uvicorn
from litestar import Litestar, get, put
from litestar.params import JSONBody, PathParameter


class Echo(msgspec.Struct, forbid_unknown_fields=True):
    used: bool
    craving: int | None = None
    mood: int | None = None
    substances: list[str] = []
    note: str | None = None


@get("/bare", sync_to_thread=False)
def bare() -> dict[str, str]:
    """The least a JSON endpoint can do."""
    return {"status": "ok"}


@put("/bare/{key:str}", sync_to_thread=False)
def bare_put(key: Annotated[str, PathParameter()], data: JSONBody[Echo]) -> dict[str, object]:
    """A JSON body decoded into a Struct and echoed back: the shape of a check-in, no storage."""
    return {"key": key, "used": data.used, "craving": data.craving, "note": data.note}


def freeze_start_up() -> None:
    """As `fotfeste serve` does after start-up, so both servers collect garbage alike."""
    gc.freeze()


app = Litestar(route_handlers=[bare, bare_put], on_startup=[freeze_start_up], debug=False)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        server_header=False,
        log_level="warning",
    )


if __name__ == "__main__":
    main()
