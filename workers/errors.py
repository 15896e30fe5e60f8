"""The one error tree. Library errors are translated into it at the boundary that meets them.

IngestError
├── ConfigError          bad settings or an unreadable feeds file
├── FetchError           transport failure seen by workers/fetch.py (carries the URL)
├── FeedParseError       a body that is not a feed (workers/parse.py)
├── ExtractError         a page that yields no usable article (workers/extract.py)
└── StoreError           Redis unreachable or a script failed (workers/store.py)
"""

from __future__ import annotations


class IngestError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(IngestError):
    pass


class FetchError(IngestError):
    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class FeedParseError(IngestError):
    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class ExtractError(IngestError):
    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class StoreError(IngestError):
    pass
