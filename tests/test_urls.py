"""URL identity: each fold users of news data expect, as a named table."""

from __future__ import annotations

import pytest

from workers.urls import normalize_url, site_domain, without_tracking

CANON = "https://example.com/news/2024/story-123"

FOLDS = [
    ("scheme_and_host_case", "HTTP://EXAMPLE.com/news/2024/story-123", CANON),
    ("http_is_https", "http://example.com/news/2024/story-123", CANON),
    ("default_port_http", "http://example.com:80/news/2024/story-123", CANON),
    ("default_port_https", "https://example.com:443/news/2024/story-123", CANON),
    ("fragment", "https://example.com/news/2024/story-123#comments", CANON),
    ("trailing_slash", "https://example.com/news/2024/story-123/", CANON),
    ("utm", "https://example.com/news/2024/story-123?utm_source=rss&utm_medium=feed", CANON),
    ("fbclid", "https://example.com/news/2024/story-123?fbclid=IwAR0abc", CANON),
    ("gclid", "https://example.com/news/2024/story-123?gclid=xyz", CANON),
    ("ocid", "https://example.com/news/2024/story-123?ocid=msedgntp", CANON),
    ("mc_cid", "https://example.com/news/2024/story-123?mc_cid=1&mc_eid=2", CANON),
    ("tracking_case", "https://example.com/news/2024/story-123?UTM_Campaign=x", CANON),
    ("amp_path_end", "https://example.com/news/2024/story-123/amp/", CANON),
    ("amp_path_start", "https://example.com/amp/news/2024/story-123", CANON),
    ("amp_query", "https://example.com/news/2024/story-123?amp", CANON),
    ("amp_query_value", "https://example.com/news/2024/story-123?amp=1", CANON),
    ("amp_host", "https://amp.example.com/news/2024/story-123", CANON),
    ("mobile_host", "https://m.example.com/news/2024/story-123", CANON),
    ("amp_suffix", "https://example.com/news/2024/story-123.amp", CANON),
    ("user_info", "https://reader@example.com/news/2024/story-123", CANON),
    ("percent_case", "https://example.com/news/2024/story%2d123", CANON),
    ("everything", "HTTP://m.Example.com:80/amp/news/2024/story-123/?utm_source=x&amp#top", CANON),
]


@pytest.mark.parametrize(("url", "expected"), [f[1:] for f in FOLDS], ids=[f[0] for f in FOLDS])
def test_variants_fold_to_the_canonical_page(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


KEPT = [
    ("content_query", "https://example.com/article?id=42", "https://example.com/article?id=42"),
    ("query_order", "https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
    ("path_case", "https://example.com/News/Story", "https://example.com/News/Story"),
    ("other_port", "http://example.com:8080/x", "https://example.com:8080/x"),
    ("www_kept", "https://www.example.com/x", "https://www.example.com/x"),
    ("root", "https://example.com", "https://example.com/"),
    (
        "amp_in_word",
        "https://example.com/campaign/amplifier",
        "https://example.com/campaign/amplifier",
    ),
    ("unicode_path", "https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
    ("two_letter_m_domain", "https://m.co/x", "https://m.co/x"),
]


@pytest.mark.parametrize(("url", "expected"), [k[1:] for k in KEPT], ids=[k[0] for k in KEPT])
def test_what_names_a_different_page_is_kept(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_configured_tracking_parameters_are_dropped() -> None:
    url = "https://example.com/a?src=newsletter&id=7"
    assert normalize_url(url) == "https://example.com/a?id=7&src=newsletter"
    assert normalize_url(url, tracking_params=("SRC",)) == "https://example.com/a?id=7"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/a", "mailto:desk@example.com", "/relative/path", "https://", ""],
    ids=["ftp", "mailto", "relative", "no_host", "empty"],
)
def test_non_http_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="not an http"):
        normalize_url(url)


DOMAINS = [
    ("www", "https://www.theguardian.com/world/x", "theguardian.com"),
    ("mobile", "http://m.bbc.co.uk/news", "bbc.co.uk"),
    ("amp", "https://amp.cnn.com/cnn/2024/x", "cnn.com"),
    ("subdomain_kept", "http://english.nv.ua/nation/x.html", "english.nv.ua"),
    ("case_and_port", "HTTPS://Reuters.COM:443/x", "reuters.com"),
    ("not_a_url", "not a url", None),
]


@pytest.mark.parametrize(("url", "expected"), [d[1:] for d in DOMAINS], ids=[d[0] for d in DOMAINS])
def test_site_domain(url: str, expected: str | None) -> None:
    assert site_domain(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.com/a/?utm_source=rss&id=7#top", "https://Example.com/a/?id=7"),
        (
            "http://newshub.example/n.html?.tsrc=rss&utm_medium=feed",
            "http://newshub.example/n.html",
        ),
        ("https://example.com/amp/story", "https://example.com/amp/story"),
        ("https://example.com/story?page=2", "https://example.com/story?page=2"),
    ],
    ids=["tracking-and-fragment", "yahoo-tsrc", "left-as-given", "real-parameter-kept"],
)
def test_without_tracking_keeps_the_link_working(url: str, expected: str) -> None:
    assert without_tracking(url) == expected


# URLs on both sides of the fast paths' rules: each must give what urlsplit's general
# reading gives.
_ODD_URLS = [
    "https://www.example.com/world/2026/11/25/story-1",
    "https://www.example.com/world/2026/11/25/story-1/",
    "http://example.com",
    "https://example.com/",
    "https://m.example.co.uk/news/a.amp.html",
    "https://amp.example.com/news/amp/story",
    "https://example.com/a//b/",
    "https://example.com/%7Euser/é",
    "https://example.com/~user/x(1)",
    "HTTPS://Example.COM/Path",
    "https://EXAMPLE.com/path",
    "https://example.com./path",
    "https://example.com:443/path",
    "https://example.com:8080/path",
    "https://example.com:bad/path",
    "https://user:pw@example.com/path",
    "https://example.com/path?b=2&a=1&utm_source=x",
    "https://example.com/path#frag",
    " https://example.com/path ",
    "https://example.com/pa\tth",
    "https://exa\nmple.com/path",
    "https://[::1]/path",
    "https://xn--bcher-kva.example/path",
    "https://bücher.example/path",
    "https://example_site.com/path",
    "https:///path",
    "ftp://example.com/file",
    "mailto:someone@example.com",
    "//example.com/path",
    "https://example.com/a;b=c/@x:y!$&'*+,=",
    "https://example.com/amp",
    "https://example.com/news/ampersand",
    "a+b.c-d://Host.Example/x",
    "https://example.com\n",
]


@pytest.mark.parametrize("url", _ODD_URLS)
def test_fast_paths_read_urls_as_urlsplit_does(url: str) -> None:
    from workers.urls import _normalize_any, _normalize_url, _site_domain_any

    assert site_domain(url) == _site_domain_any(url)
    try:
        expected: str | None = _normalize_any(url, ())
    except ValueError:
        expected = None
    try:
        got: str | None = _normalize_url.__wrapped__(url, ())
    except ValueError:
        got = None
    assert got == expected


def test_fast_paths_on_the_benchmark_web_s_links() -> None:
    from bench.render_feed import render_feed
    from bench.world import World
    from workers.parse import parse_feed
    from workers.urls import _normalize_any, _normalize_url, _site_domain_any

    world = World(40, 3)
    urls = {feed.url for feed in world.feeds}
    for feed in world.feeds[:12]:
        if feed.behaviour == "ok":
            parsed = parse_feed(render_feed(world, feed), url=feed.url)
            urls.update(e.link for e in parsed.entries if e.link)
    assert len(urls) > 100
    for url in urls:
        assert site_domain(url) == _site_domain_any(url)
        assert _normalize_url.__wrapped__(url, ()) == _normalize_any(url, ())


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/amp/",
        "https://example.com/x/amp",
        "https://example.com/campaign/example",
        "https://example.com/story.amp",
        "https://example.com/story.amp.html",
        "https://example.com/story.amp.htm/",
        "https://example.com/story.ampx",
        "https://example.com/amp.html",
        "https://example.com/a/amp/b.amp",
    ],
)
def test_fast_path_folds_amp_variants_as_the_general_path_does(url: str) -> None:
    from workers.urls import _normalize_any, _normalize_url

    assert _normalize_url.__wrapped__(url, ()) == _normalize_any(url, ())
