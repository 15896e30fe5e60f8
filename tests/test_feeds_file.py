"""The feeds file: plain text and OPML, and clear errors for everything else."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.errors import ConfigError
from workers.feeds_file import load_feeds

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My feeds</title></head><body>
  <outline text="Ukraine" title="Ukraine">
    <outline type="rss" text="NV" xmlUrl="https://english.nv.ua/rss/all.xml" htmlUrl="https://english.nv.ua/"/>
    <outline type="rss" text="Ukrinform" xmlUrl="https://www.ukrinform.net/rss/block-lastnews"/>
  </outline>
  <outline type="rss" text="BBC World" xmlUrl="https://feeds.bbci.co.uk/news/world/rss.xml"/>
  <outline text="folder without feeds"/>
</body></opml>
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds"
    path.write_text(text, encoding="utf-8")
    return path


def test_plain_text_with_comments_blank_lines_and_duplicates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# Ukraine\nhttps://english.nv.ua/rss/all.xml\n\n   https://a.example/rss  # note\n"
        "https://english.nv.ua/rss/all.xml\n",
    )
    assert load_feeds(path) == ["https://english.nv.ua/rss/all.xml", "https://a.example/rss"]


def test_opml_nested_outlines(tmp_path: Path) -> None:
    assert load_feeds(write(tmp_path, OPML)) == [
        "https://english.nv.ua/rss/all.xml",
        "https://www.ukrinform.net/rss/block-lastnews",
        "https://feeds.bbci.co.uk/news/world/rss.xml",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ftp://files.example/feed\n", "not an http"),
        ("# only comments\n\n", "no feeds"),
        ("<opml><body><outline xmlUrl='x'", "invalid OPML"),
    ],
    ids=["non-http", "empty", "broken-opml"],
)
def test_bad_files_raise_config_errors(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_feeds(write(tmp_path, text))


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read feeds file"):
        load_feeds(tmp_path / "missing.txt")
