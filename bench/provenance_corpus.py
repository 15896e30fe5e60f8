"""Generate the labelled provenance corpus: tests/data/provenance/corpus/.

Pages are rendered from the story texts and notice phrases in
tests/data/provenance/languages.json through four page layouts (aggregator, WordPress,
newspaper, minimal) and, for feed signals, RSS/Atom feeds. The output is committed; this
script documents how it was made and regenerates it after the inputs change:

    .venv/bin/python -m bench.provenance_corpus
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1] / "tests" / "data" / "provenance"
OUT = ROOT / "corpus"
PUBLISHED = "2024-03-05T08:{:02d}:00+00:00"

FOOTERS = ("footer_link", "footer_plain", "republished", "cc_notice", "wordpress_footer",
           "distributed_by", "partnership", "source_line")
WIRE = ("wire_dateline", "wire_credit", "wire_copyright")
NEGATIVES = ("read_also", "related", "more_from", "cited", "contributed", "photo_credit",
             "author_bio", "promo", "self_footer", "own_nav")
MARKUP = ("canonical", "original_source", "syndication_source", "og_url", "jsonld_based_on",
          "jsonld_source_org", "jsonld_publisher", "jsonld_provider", "rss_source",
          "atom_source", "dc_source")
MARKUP_NEGATIVES = ("self_original_source", "self_canonical_subdomain", "parent_publisher")


@dataclass
class Case:
    """One page to render and its label."""

    id: str
    language: str
    signal: str
    site: tuple[str, str]  # name, host of the page's own site
    title: str
    paragraphs: list[str]  # HTML
    url: str
    origin: dict[str, str | None] | None = None
    origin_url: str | None = None
    cited: list[str] = field(default_factory=list)
    tail_html: list[str] = field(default_factory=list)  # after the body, inside the article
    chrome_html: str = ""  # site chrome after the article
    nav_extra: str = ""
    head: dict[str, Any] = field(default_factory=dict)
    feed: str | None = None  # "rss_source" | "atom_source" | "dc_source"
    layout: int = 0


def slug(text: str) -> str:
    return re.sub(r"\W+", "-", text.lower()).strip("-")[:60]


def _head(case: Case) -> str:
    h = case.head
    name, host = case.site
    canonical = h.get("canonical", case.url)
    og_url = h.get("og_url", case.url)
    publisher = h.get("publisher", {"@type": "Organization", "name": name,
                                    "url": f"https://{host}/"})
    ld: dict[str, Any] = {"@context": "https://schema.org", "@type": "NewsArticle",
                          "headline": case.title, "datePublished": h["published"],
                          "inLanguage": case.language, "publisher": publisher}
    for key in ("isBasedOn", "sourceOrganization", "provider"):
        if key in h:
            ld[key] = h[key]
    metas = "".join(f'\n  <meta name="{k}" content="{escape(v)}">' for k, v in
                    h.get("meta", {}).items())
    return f"""<head>
  <meta charset="utf-8">
  <title>{escape(case.title)} | {escape(name)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{escape(name)}">
  <meta property="og:title" content="{escape(case.title)}">
  <meta property="og:url" content="{escape(og_url)}">
  <meta property="article:published_time" content="{h['published']}">{metas}
  <link rel="canonical" href="{escape(canonical)}">
  <script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
</head>"""


def _body_ps(case: Case) -> str:
    return "\n".join(f"      <p>{p}</p>" for p in case.paragraphs)


def _tail(case: Case, tag: str = "p") -> str:
    return "\n".join(f'      <{tag} class="source-note">{t}</{tag}>' for t in case.tail_html)


LAYOUTS = ("aggregator", "wordpress", "newspaper", "minimal")


def render_html(case: Case) -> str:
    layout = LAYOUTS[case.layout % len(LAYOUTS)]
    template = (ROOT / "layouts" / f"{layout}.html").read_text("utf-8")
    name, host = case.site
    body = template.format(
        name=escape(name), host=host, title=escape(case.title), caption=escape(case.title[:40]),
        published=case.head["published"], body=_body_ps(case), tail=_tail(case),
        chrome=case.chrome_html, nav_extra=case.nav_extra,
    ).rstrip("\n")
    return (f'<!DOCTYPE html>\n<html lang="{case.language}">\n{_head(case)}\n'
            f'<body class="article-page">\n{body}\n</body>\n</html>\n')


def render_feed(case: Case) -> str:
    name, host = case.site
    origin = case.origin or {}
    o_name, o_host = origin.get("name") or "", origin.get("domain") or ""
    if case.feed == "rss_source":
        source = f'<source url="https://{o_host}/rss.xml">{escape(o_name)}</source>'
    else:
        source = f"<dc:source>{escape(case.origin_url or '')}</dc:source>"
    kind = "atom" if case.feed == "atom_source" else "rss"
    template = (ROOT / "layouts" / f"feed-{kind}.xml").read_text("utf-8")
    return template.format(
        name=escape(name), host=host, title=escape(case.title), url=case.url,
        published=case.head["published"], language=case.language, source=source,
        summary=escape(re.sub(r"<[^>]+>", "", case.paragraphs[0])),
        origin_name=escape(o_name), origin_host=o_host,
    )


class Builder:
    """Cases for one language, varied over stories, sites, origins and layouts."""

    def __init__(self, lang: str, spec: dict[str, Any]) -> None:
        self.lang, self.spec, self.n = lang, spec, 0

    def case(self, signal: str, *, copy: bool = True, origin_index: int | None = None) -> Case:
        self.n += 1
        spec, n = self.spec, self.n
        story = spec["stories"][n % 2]
        origins = spec["origins"]
        o_name, o_host = origins[(n if origin_index is None else origin_index) % len(origins)]
        site = tuple(spec["copies"][n % 2]) if copy else (o_name, o_host)
        title = story["title"]
        url = f"https://{site[1]}/{self.lang}/news/{slug(title)}-{1000 + n}.html"
        case = Case(id=f"{self.lang}-{signal}-{n:02d}", language=self.lang, signal=signal,
                    site=(site[0], site[1]), title=title,
                    paragraphs=[escape(p) for p in story["paragraphs"]], url=url,
                    layout=n + len(self.lang))
        case.head["published"] = PUBLISHED.format(n % 60)
        case.origin_url = f"https://{o_host}/{slug(title)}-{48213 + n}"
        case.head["_origin"] = (o_name, o_host)
        return case


def _fill(template: str, case: Case, name: str, host: str) -> str:
    return template.format(name=escape(name), url=case.origin_url, home=f"https://{host}/",
                           title=escape(case.title), copy_url=case.url, site=case.site[0])


def footer_case(b: Builder, kind: str) -> Case:
    # A bare "Source: X" names an outlet everyone knows; other notices also name small ones.
    case = b.case(kind, origin_index=0 if kind == "source_line" else None)
    name, host = case.head["_origin"]
    template = b.spec["footers"][kind]
    case.tail_html.append(_fill(template, case, name, host))
    case.origin = {"name": name, "domain": host}
    if "{url}" not in template:  # the notice links no article of the origin
        case.origin_url = None
    return case


def wire_case(b: Builder, kind: str) -> Case:
    case = b.case(kind)
    agency, domain = b.spec["agency"]
    wire = b.spec["wire"]
    if kind == "wire_dateline":
        case.paragraphs[0] = escape(wire["dateline"]) + case.paragraphs[0]
    else:
        case.tail_html.append(escape(wire["credit" if kind == "wire_credit" else "copyright"]))
    case.origin, case.origin_url = {"name": agency, "domain": domain}, None
    return case


def negative_case(b: Builder, kind: str) -> Case:
    own = kind == "self_footer"
    case = b.case(kind, copy=not own)
    name, host = case.head["_origin"]
    neg = b.spec["negatives"]
    case.origin_url, case.origin = None, None
    if kind == "cited":
        for sentence, outlet in b.spec["cited"]:
            case.paragraphs.insert(2, escape(sentence))
            case.cited.append(outlet)
    elif kind == "self_footer":
        case.tail_html.append(_fill(b.spec["footers"]["footer_plain"], case, name, host))
    elif kind == "own_nav":
        site = case.site[0]
        case.nav_extra = f' <a href="/originals/">{escape(site)} Originals</a>'
        case.tail_html.append(f'More from <a href="/">{escape(site)}</a>')
        case.chrome_html = f'<div class="brand">{escape(site)} — {escape(site)} News</div>\n'
    else:
        other = f"https://{host}/{slug(case.title)}-related-7731"
        text = neg[kind].format(url=other, title=escape(b.spec["stories"][0]["title"]),
                                home=f"https://{host}/", name=escape(name), site=case.site[0])
        if kind in ("read_also", "related"):
            case.paragraphs.insert(2, text)
        else:
            case.tail_html.append(text)
    return case


_JSONLD_KEYS = {"jsonld_based_on": "isBasedOn", "jsonld_source_org": "sourceOrganization",
                "jsonld_publisher": "publisher", "jsonld_provider": "provider"}


def _jsonld_thing(kind: str, name: str, home: str, url: str, *, alt: bool) -> Any:
    """The JSON-LD value for a markup kind; ``alt`` is the other form sites use for it."""
    if kind == "jsonld_based_on":  # a URL, or the source article as an object
        return ({"@type": "NewsArticle", "url": url,
                 "publisher": {"@type": "NewsMediaOrganization", "name": name}} if alt else url)
    if kind == "jsonld_source_org":
        return ({"@type": "Organization", "name": name} if alt else
                {"@type": "NewsMediaOrganization", "name": name, "url": home})
    if kind == "jsonld_provider":
        return ({"@type": "NewsMediaOrganization", "name": name, "url": home} if alt else
                {"@type": "Organization", "name": name})
    return {"@type": "NewsMediaOrganization", "name": name, "url": home}  # publisher


def markup_case(b: Builder, kind: str, *, vary: bool = False) -> Case:
    """``vary``: the origin rotates over the language's outlets (a JSON-LD publisher only
    counts for a known one, so it keeps the first) and odd pages use the other JSON-LD form."""
    rotate = vary and kind != "jsonld_publisher"
    case = b.case(kind, origin_index=None if rotate else 0)
    name, host = case.head["_origin"]
    home, url = f"https://{host}/", case.origin_url or ""
    case.origin = {"name": name, "domain": host}
    keeps_url = kind in ("canonical", "original_source", "syndication_source", "og_url",
                         "jsonld_based_on", "dc_source")
    head = case.head
    if kind == "canonical":
        head["canonical"] = url
    elif kind in ("original_source", "syndication_source"):
        head["meta"] = {kind.replace("_", "-"): url}
    elif kind == "og_url":
        head["og_url"] = url
    elif kind in _JSONLD_KEYS:
        head[_JSONLD_KEYS[kind]] = _jsonld_thing(kind, name, home, url,
                                                 alt=vary and b.n % 2 == 1)
    else:
        case.feed = kind
    if not keeps_url:
        case.origin_url = None
    return case


def markup_negative_case(b: Builder, kind: str, *, vary: bool = False) -> Case:
    parent = kind == "parent_publisher"  # an outlet's own page naming its parent company
    case = b.case(kind, copy=not parent, origin_index=None if vary else 0)
    name, host = case.site
    case.origin, case.origin_url = None, None
    if kind == "self_original_source":
        case.head["meta"] = {"original-source": case.url}
    elif kind == "self_canonical_subdomain":
        case.url = case.url.replace(f"https://{host}/", f"https://m.{host}/")
        case.head["canonical"] = case.url.replace("https://m.", "https://www.")
    else:
        case.head["publisher"] = {"@type": "Organization", "name": f"{name} Media Group"}
    return case


def markup_cases(spec: dict[str, Any]) -> list[Case]:
    """Markup and feed pages: first two rounds over rotating languages (ids 41-68, kept
    stable), then one page in every language a kind still lacks."""
    langs = list(spec)
    plan = [(k, langs[i % len(langs)]) for i, k in enumerate(MARKUP * 2 + MARKUP_NEGATIVES * 2)]
    first, done = len(plan), set(plan)
    plan += [(k, lang) for k in MARKUP + MARKUP_NEGATIVES for lang in langs
             if (k, lang) not in done]
    cases: list[Case] = []
    for i, (kind, lang) in enumerate(plan):
        b = Builder(lang, spec[lang])
        b.n = 40 + i
        make = markup_case if kind in MARKUP else markup_negative_case
        cases.append(make(b, kind, vary=i >= first))
    return cases


def build() -> list[Case]:
    spec = json.loads((ROOT / "languages.json").read_text("utf-8"))
    cases: list[Case] = []
    for lang, lang_spec in spec.items():
        b = Builder(lang, lang_spec)
        cases += [footer_case(b, k) for k in FOOTERS]
        cases += [wire_case(b, k) for k in WIRE]
        cases += [negative_case(b, k) for k in NEGATIVES]
    return cases + markup_cases(spec)


def label(case: Case) -> dict[str, Any]:
    return {"id": case.id, "html": f"{case.id}.html",
            "feed": f"{case.id}.xml" if case.feed else None, "url": case.url,
            "language": case.language, "signal": case.signal,
            "syndicated": case.origin is not None, "origin": case.origin,
            "origin_url": case.origin_url, "cited": case.cited}





def build_holdout(name: str) -> list[Case]:
    """Pages for tests/data/provenance/<name>.json: one line each, in a copy site's page."""
    spec = json.loads((ROOT / "languages.json").read_text("utf-8"))
    held = json.loads((ROOT / f"{name}.json").read_text("utf-8"))["cases"]
    cases: list[Case] = []
    for i, item in enumerate(held):
        b = Builder(item["lang"], spec[item["lang"]])
        b.n = i
        case = b.case("held_out_copy" if item["origin"] else "held_out_trap")
        case.id = f"{name}-{i:02d}-{item['lang']}"
        case.origin_url = None
        case.cited = item.get("cited", [])
        case.origin = ({"name": item["origin"][0], "domain": item["origin"][1]}
                       if item["origin"] else None)
        if item["where"] == "dateline":
            case.paragraphs[0] = escape(item["line"]) + case.paragraphs[0]
        elif item["where"] == "body":
            case.paragraphs.insert(2, item["line"])
        else:
            case.tail_html.append(item["line"])
        cases.append(case)
    return cases


def write(cases: list[Case], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.*ml"):
        old.unlink()
    for case in cases:
        (out / f"{case.id}.html").write_text(render_html(case), "utf-8")
        if case.feed:
            (out / f"{case.id}.xml").write_text(render_feed(case), "utf-8")
    labels = [label(c) for c in cases]
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=1) + "\n",
                                     "utf-8")
    print(f"{out.name}: {len(cases)} pages, {sum(c.origin is not None for c in cases)} copies")


def main() -> None:
    write(build(), OUT)
    for name in ("holdout", "holdout2", "holdout3"):
        write(build_holdout(name), ROOT / name)


if __name__ == "__main__":
    main()
