"""Read a page the way a resident does: fetched, its text without tags, its sections by heading."""

import html
import re


def get_page(client, url) -> str:
    """The page at `url`, which must answer 200, as text."""
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def text_of(fragment: str) -> str:
    """What a reader sees: tags removed, entities decoded, spacing collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def sections(page: str) -> dict[str, str]:
    """The page's HTML cut at each second-level heading, keyed by the heading's text."""
    parts = re.split(r"<h2[^>]*>(.*?)</h2>", page, flags=re.S)
    return {text_of(heading): body for heading, body in zip(parts[1::2], parts[2::2], strict=True)}
