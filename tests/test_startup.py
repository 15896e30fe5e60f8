"""Start-up cost: a worker loads the heavy steps only when it has work for them.

Each check runs in a fresh interpreter (this one has imported everything already). A pass
where every feed answers 304 must not load the feed parser, the HTML extractor, numpy, the
HTTP server, the provenance signals or build the event models: importing them was most of
such a pass.
"""

from __future__ import annotations

import json
from pathlib import Path

from redis.asyncio import Redis

from tests.fakeweb import FakeWeb
from tests.pipeline_support import HUB_FEED, NV_FEED, cli_env, run_python, serve_seed
from workers.settings import Settings

# Modules that only a parsed feed, a processed entry or the HTTP endpoints need.
HEAVY = (
    "numpy",
    "feedparser",
    "lxml",
    "selectolax",
    "aiohttp.web",
    "workers.parse",
    "workers.extract",
    "workers.minhash",
    "workers.provenance.detection",
    "workers.provenance.catalogue",
)

# Runs the real CLI, then reports which heavy modules it loaded and whether the event
# models were built.
PROBE = """
import json, os, sys
from service.cli import main
code = main(sys.argv[1:])
import schemas.events
loaded = [m for m in json.loads(os.environ["HEAVY"]) if m in sys.modules]
built = schemas.events.ArticlePublished.__pydantic_complete__
print(json.dumps({"code": code, "loaded": loaded, "models_built": built}), file=sys.stderr)
"""


async def test_importing_the_command_line_loads_no_heavy_step() -> None:
    code, out, err = await run_python(
        "-c",
        "import json, sys, service.cli, service.commands, workers.worker\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))",
    )
    assert code == 0, err
    assert json.loads(out) == []


async def test_a_pass_of_304s_loads_no_parser_extractor_or_numpy(
    settings: Settings, redis: Redis, fakeweb: FakeWeb, tmp_path: Path
) -> None:
    serve_seed(fakeweb)
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"{NV_FEED}\n{HUB_FEED}\n")
    env = cli_env(
        settings,
        fakeweb,
        NEWSINGEST_FETCH_PAGES="never",
        NEWSINGEST_POLL_INTERVAL="0",
        HEAVY=json.dumps(HEAVY),
    )
    args = ["-c", PROBE, "worker", "--feeds", str(feeds), "--once"]

    code, out, err = await run_python(*args, env=env)
    assert code == 0, err
    first = json.loads(err.strip().splitlines()[-1])
    assert first["code"] == 0, err
    assert json.loads(out)["outcomes"] == {"parsed": 2}
    assert "workers.parse" in first["loaded"]
    assert first["models_built"]

    code, out, err = await run_python(*args, env=env)
    assert code == 0, err
    second = json.loads(err.strip().splitlines()[-1])
    assert json.loads(out)["outcomes"] == {"not_modified": 2}
    assert second == {"code": 0, "loaded": [], "models_built": False}
