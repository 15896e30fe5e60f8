"""Proxy choice from the environment's variables, as a table."""

from __future__ import annotations

import pytest
from yarl import URL

from workers.proxies import EnvProxies


@pytest.mark.parametrize(
    ("variables", "url", "proxied"),
    [
        ({}, "http://feeds.test/", False),
        ({"http": "http://p:3128"}, "http://feeds.test/", True),
        ({"http": "http://p:3128"}, "https://feeds.test/", False),
        ({"all": "http://p:3128"}, "https://feeds.test/", True),
        ({"http": "p:3128"}, "http://feeds.test/", True),
        ({"http": "http://p:3128", "no": "feeds.test"}, "http://feeds.test/", False),
        ({"http": "http://p:3128", "no": ".test"}, "http://a.feeds.test/", False),
        ({"http": "http://p:3128", "no": "feeds.test:8080"}, "http://feeds.test:8080/", False),
        ({"http": "http://p:3128", "no": "eeds.test"}, "http://feeds.test/", True),
        ({"http": "http://p:3128", "no": "*"}, "http://feeds.test/", False),
        ({"http": "socks5://p:1080"}, "http://feeds.test/", False),
    ],
    ids=[
        "none",
        "http",
        "http-only",
        "all",
        "no-scheme",
        "no-proxy-name",
        "no-proxy-domain",
        "no-proxy-port",
        "no-proxy-not-a-suffix",
        "no-proxy-star",
        "unsupported",
    ],
)
def test_proxy_choice(variables: dict[str, str], url: str, proxied: bool) -> None:
    chosen = EnvProxies(variables).for_url(URL(url))

    assert (chosen is not None) is proxied
    if chosen is not None:
        assert chosen.url == URL("http://p:3128")


def test_proxy_credentials_become_auth() -> None:
    proxies = EnvProxies({"http": "http://me:secret@p:3128"})

    chosen = proxies.for_url(URL("http://feeds.test/"))

    assert chosen is not None
    assert chosen.url == URL("http://p:3128")
    assert chosen.headers == {"Proxy-Authorization": "Basic bWU6c2VjcmV0"}  # me:secret
    assert proxies.endpoints == {("p", 3128)}
