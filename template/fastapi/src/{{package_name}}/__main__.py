"""Command line: ``python -m <package> serve``, and each task's commands (see ``--help``)."""

import argparse
import gc
import signal
import sys
from collections.abc import Sequence
from types import FrameType

from .app import create_app
from .core.config import ConfigError, load_settings
from .core.logging import configure_logging
from .core.serving import server_for
from .settings import Settings
from .tasks import TASKS

_STARTUP_FAILURE = 3


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
    tasks_commands = {command.name: command for task in TASKS for command in task.COMMANDS}
    for command in tasks_commands.values():
        command_parser = commands.add_parser(command.name, help=command.help)
        for argument in command.arguments:
            command_parser.add_argument(argument)
    arguments = parser.parse_args(argv)
    chosen = tasks_commands.get(arguments.command)
    if chosen is not None and chosen.alone is not None:
        # Its own settings only: a job (CI, a release) has none of the app's secrets.
        return chosen.alone()

    try:
        settings = load_settings(Settings)
    except ConfigError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    configure_logging(settings.log_level)
    if arguments.command in tasks_commands:
        return tasks_commands[arguments.command].run(settings, arguments)
    signal.signal(signal.SIGTERM, _stop)
    app = create_app(settings)
    # What start-up made (modules, routes, schemas, table metadata) lives as long as the
    # process: frozen, it is left out of the cyclic collector's full scans while serving.
    gc.collect()
    gc.freeze()
    # One process; on SIGTERM the tasks' shutdown hooks run, then uvicorn stops accepting,
    # lets in-flight requests finish for up to SHUTDOWN_TIMEOUT_SECONDS, then runs the
    # lifespan exit, which closes the pools.
    server = server_for(app, settings)
    server.run()
    # uvicorn's own status when the server could not start (the port taken, a failed start-up).
    return 0 if server.started else _STARTUP_FAILURE


if __name__ == "__main__":
    sys.exit(main())
