"""Peer: the ``reader`` library updating the feeds, one pass. Run by the benchmark runner.

``python -m bench.peer_reader --feeds FILE --db PATH --workers N``; a second run on the same
database is the second pass (reader sends the stored ETag / Last-Modified). Prints a JSON
summary. Names resolve to the local news web through ``BENCH_RESOLVE``.
"""

from __future__ import annotations

import argparse
import json

from bench import resolve
from bench.feedlist import read_feeds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    resolve.patch_socket(resolve.load())
    from reader import make_reader  # after the patch: nothing may resolve before it

    reader = make_reader(args.db)
    known = {feed.url for feed in reader.get_feeds()}
    for url in read_feeds(args.feeds):
        if url not in known:
            reader.add_feed(url)
    summary = {"updated": 0, "not_modified": 0, "errors": 0, "new_entries": 0}
    # scheduled=False: update every feed now, as the other tools do, not only those due.
    for result in reader.update_feeds_iter(scheduled=False, workers=args.workers):
        if result.error is not None:
            summary["errors"] += 1
        elif result.updated_feed is None:
            summary["not_modified"] += 1
        else:
            summary["updated"] += 1
            summary["new_entries"] += result.updated_feed.new
    summary["entries"] = reader.get_entry_counts().total or 0
    reader.close()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
