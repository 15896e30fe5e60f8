"""URL identity: the normal form under which two URLs name the same page.

STUB: interface fixed by the lead; implementation owned by the dedupe helper.
"""

from __future__ import annotations

from collections.abc import Iterable


def normalize_url(url: str, *, tracking_params: Iterable[str] = ()) -> str:
    """Scheme/host case, default port, fragment, trailing slash, tracking parameters,
    AMP and mobile variants folded. Raises ValueError for a URL that is not http(s)."""
    raise NotImplementedError


def site_domain(url: str) -> str | None:
    """Registrable-ish host of a URL: lower case, without ``www.``, ``m.`` or ``amp.``."""
    raise NotImplementedError
