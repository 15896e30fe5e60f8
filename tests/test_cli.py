"""The command line as operators use it: exit codes and messages, the schema export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schemas.jsonschema import dumps
from tests.pipeline_support import run_python

ROOT = Path(__file__).resolve().parents[1]


async def newsingest(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    return await run_python("-m", "service.cli", *args, env=env)


async def test_unreadable_feeds_file_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    code, _, err = await newsingest("worker", "--once", "--feeds", str(tmp_path / "nope.txt"))
    assert code == 2
    assert "cannot read feeds file" in err


async def test_unreachable_redis_exits_3_with_a_clear_message(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.txt"
    feeds.write_text("http://example.com/rss\n")
    code, _, err = await newsingest(
        "worker", "--once", "--feeds", str(feeds), env={"REDIS_URL": "redis://127.0.0.1:1/0"}
    )
    assert code == 3
    assert "Redis" in err
    assert "127.0.0.1:1" in err


async def test_invalid_setting_exits_2(tmp_path: Path) -> None:
    code, _, err = await newsingest("serve", env={"NEWSINGEST_FETCH_PAGES": "sometimes"})
    assert code == 2
    assert "fetch_pages" in err


async def test_schema_command_prints_the_committed_schema() -> None:
    code, out, _ = await newsingest("schema")
    assert code == 0
    schema = json.loads(out)
    kinds = {ref["$ref"].rsplit("/", 1)[-1] for ref in schema["oneOf"]}
    assert kinds == {"ArticlePublished", "ArticleSyndicated", "ArticleUpdated"}
    committed = ROOT / "schemas" / "article-event.v1.schema.json"
    assert committed.read_text() == out == dumps(), "run `make schema` and commit the result"


@pytest.mark.parametrize("command", ["worker", "run", "tail", "demo", "serve", "eval-provenance"])
async def test_help_names_every_subcommand(command: str) -> None:
    code, out, _ = await newsingest("--help")
    assert code == 0
    assert command in out


async def test_a_port_in_use_is_a_clear_error_at_start() -> None:
    import socket

    from tests.conftest import TEST_REDIS_URL

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = await newsingest(
            "serve", "--host", "127.0.0.1", "--port", str(port), env={"REDIS_URL": TEST_REDIS_URL}
        )
    assert code == 2
    assert f"cannot serve on 127.0.0.1:{port}" in err


async def test_eval_provenance_takes_its_own_options() -> None:
    code, out, _ = await newsingest("eval-provenance", "--verbose")
    assert code == 0
    assert "precision" in out
