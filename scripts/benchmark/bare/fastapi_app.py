"""The bare FastAPI baseline of scripts/bench.py: one route returning a small JSON.

Served by uvicorn with the options of the generated ``python -m <package> serve``
(no log config, no access log, no server header, lifespan on), one process, from
the same venv as the project, so the ratio isolates what the project adds.
Usage: python fastapi_app.py PORT
"""

import sys

import uvicorn  # type: ignore[import-not-found]  # lives in the projects' shared venv, not in .venv
from fastapi import FastAPI  # type: ignore[import-not-found]


async def live() -> dict[str, str]:
    return {"status": "ok"}


def serve(app: object, port: int) -> None:
    """uvicorn with the generated serve command's options (the floor app is served so too)."""
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="on",
    )


def main() -> None:
    app = FastAPI()
    app.add_api_route("/", live, methods=["GET"])
    serve(app, int(sys.argv[1]))


if __name__ == "__main__":
    main()
