"""The ``newsingest`` command. Subcommands are the operators' contract; see the README.

Exit codes: 0 done; 1 unexpected failure; 2 bad usage or configuration (unreadable feeds
file, invalid setting); 3 Redis unreachable.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from collections.abc import Sequence

from service import gc_policy
from workers.errors import ConfigError, StoreError

EXIT_OK, EXIT_FAILED, EXIT_CONFIG, EXIT_REDIS = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsingest",
        description="Provenance-aware news ingest: feeds in, one attributed story event out.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    worker = sub.add_parser("worker", help="poll feeds and publish events")
    worker.add_argument("--feeds", required=True, help="feeds file: URLs one a line, or OPML")
    worker.add_argument("--once", action="store_true", help="one pass over every feed, then exit")

    serve = sub.add_parser("serve", help="HTTP: /healthz, /readyz, /metrics")
    _add_listen(serve)

    run = sub.add_parser("run", help="worker and HTTP service in one process")
    run.add_argument("--feeds", required=True, help="feeds file: URLs one a line, or OPML")
    _add_listen(run)

    tail = sub.add_parser("tail", help="print the stream's events as they arrive")
    tail.add_argument("--from-start", action="store_true", help="replay the stream first")
    tail.add_argument("--count", type=int, default=None, help="stop after N events")
    tail.add_argument("--group", help="read as this consumer group (created if missing)")
    tail.add_argument("--consumer", help="consumer name within --group")
    tail.add_argument("--pretty", action="store_true", help="one readable line per event")

    demo = sub.add_parser("demo", help="ingest a small bundled news world and summarise it")
    demo.add_argument("--json", action="store_true", help="print the events as JSON lines too")

    schema = sub.add_parser("schema", help="print the event JSON Schema")
    schema.add_argument("--out", help="write to this file instead of stdout")

    # Its options (--corpus, --verbose, ...) belong to workers/provenance/evaluate.py and
    # are passed through unparsed.
    sub.add_parser(
        "eval-provenance", help="precision/recall on the labelled corpus", add_help=False
    )
    return parser


def _add_listen(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default=None, help="listen address (NEWSINGEST_HOST)")
    p.add_argument("--port", type=int, default=None, help="listen port (NEWSINGEST_PORT)")


# Commands that start an ingest worker: it resumes the collector (``gc_policy.for_ingest``)
# once it has started; every other command resumes it as soon as it knows its command.
_INGEST_COMMANDS = frozenset({"worker", "run"})


def main(argv: Sequence[str] | None = None) -> int:
    gc_policy.pause()  # before the imports below: they are most of start-up
    try:
        return _main(argv)
    finally:
        gc_policy.collect_less_often()  # whatever happened, e.g. when called in-process


def _main(argv: Sequence[str] | None) -> int:
    from pydantic import ValidationError

    from workers.settings import Settings

    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command not in _INGEST_COMMANDS:
        gc_policy.collect_less_often()
    if args.command == "eval-provenance":
        from workers.provenance.evaluate import main as evaluate

        return int(evaluate(rest))
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "schema":
        return _schema(args.out)
    try:
        settings = Settings()
    except ValidationError as e:
        print(f"newsingest: invalid configuration:\n{e}", file=sys.stderr)
        return EXIT_CONFIG
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from service import commands

    try:
        return asyncio.run(commands.dispatch(args, settings))
    except ConfigError as e:
        print(f"newsingest: {e}", file=sys.stderr)
        return EXIT_CONFIG
    except StoreError as e:
        print(f"newsingest: Redis: {e}", file=sys.stderr)
        return EXIT_REDIS
    except KeyboardInterrupt:
        return EXIT_OK


def _schema(out: str | None) -> int:
    from schemas.jsonschema import dumps

    text = dumps()
    if out:
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def install_stop_handlers(stop: asyncio.Event) -> None:
    """SIGTERM (docker stop) and SIGINT finish the current feeds, then exit cleanly."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)


def print_json(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
