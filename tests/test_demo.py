"""`newsingest demo` end to end: its world, ingested over loopback into real Redis."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis

from service.demo import run_demo
from workers.settings import Settings


async def test_demo_prints_one_story_per_origin_with_its_copies(
    settings: Settings, redis: Redis, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await run_demo(settings) == 0
    out = capsys.readouterr().out

    assert "4 stories" in out
    assert "4 article.published" in out
    assert "4 article.syndicated" in out
    assert "Second pass: 6 not_modified" in out
    seed = out.split("• Since start of full-scale war")[1].split("• ")[0]
    assert "origin: The New Voice of Ukraine (english.nv.ua)" in seed
    assert "copy: NewsHub (newshub.example)" in seed
    assert "Read the original article on The New Voice of Ukraine" in seed
    assert "cites: The Guardian" in seed
    # the demo cleans up after itself: none of its keys are left behind
    assert [k async for k in redis.scan_iter(match="newsingest-demo-*")] == []
