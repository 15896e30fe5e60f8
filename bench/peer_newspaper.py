"""Peer: newspaper4k's own article download and parse, on the feeds' article pages.

Feeds are fetched with requests and parsed with feedparser (newspaper4k has no feed
reader of its own that takes a feed URL list); every linked page is then handed to
``newspaper.fetch_news`` (its thread pool: download + parse per article). Images are not
fetched, as the project does not fetch them. One JSON line per page goes to --out.

``python -m bench.peer_newspaper --feeds FILE --out PAGES.jsonl [--threads 10]``
"""

from __future__ import annotations

import argparse
import json
import warnings
from concurrent.futures import ThreadPoolExecutor

from bench import resolve
from bench.feedlist import read_feeds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--threads", type=int, default=10)  # newspaper4k's number_threads
    args = parser.parse_args(argv)
    resolve.patch_socket(resolve.load())
    warnings.simplefilter("ignore")  # newspaper4k warns on import that nltk is missing
    import feedparser
    import newspaper
    import requests
    from newspaper.mthreading import fetch_news

    session = requests.Session()

    def links(url: str) -> list[str]:
        try:
            response = session.get(url, timeout=(3.05, 30))
        except requests.RequestException:
            return []
        if response.status_code != 200:
            return []
        return [e.get("link") for e in feedparser.parse(response.content).entries if e.get("link")]

    with ThreadPoolExecutor(args.threads) as pool:
        found = [link for batch in pool.map(links, read_feeds(args.feeds)) for link in batch]
    config = newspaper.Config()
    config.fetch_images = False
    articles = [newspaper.Article(url, config=config, language="en")
                for url in dict.fromkeys(found)]
    done = fetch_news(articles, threads=args.threads)
    pages = 0
    with open(args.out, "w", encoding="utf-8") as out:
        for article in done:
            if article.is_parsed:
                pages += 1
                out.write(json.dumps({"url": article.url, "text": article.text}) + "\n")
    print(json.dumps({"entries": len(found), "pages": pages, "errors": len(done) - pages}))


if __name__ == "__main__":
    main()
