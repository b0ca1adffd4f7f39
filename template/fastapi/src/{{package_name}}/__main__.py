"""Command line: ``python -m <package> serve``."""

import argparse
import signal
import sys
from collections.abc import Sequence
from types import FrameType

import uvicorn

from .app import create_app
from .core.config import ConfigError, load_settings
from .core.logging import configure_logging
from .settings import Settings


def _stop(_signum: int, _frame: FrameType | None) -> None:
    """End the process with status 0 on a SIGTERM that uvicorn is not handling.

    uvicorn handles SIGTERM while it serves, then re-raises it once its graceful shutdown
    is over; this handler turns that re-raised signal (or one that arrives before the
    server starts) into a normal exit, the status process managers expect after a clean stop.
    """
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="serve HTTP on HOST:PORT until SIGTERM or Ctrl-C")
    parser.parse_args(argv)

    try:
        settings = load_settings(Settings)
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    configure_logging(settings.log_level)
    signal.signal(signal.SIGTERM, _stop)
    # One process; on SIGTERM uvicorn stops accepting, lets in-flight requests finish
    # for up to SHUTDOWN_TIMEOUT_SECONDS, then runs the lifespan exit, which closes the pools.
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="on",
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
