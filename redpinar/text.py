"""Text helpers: Markdown to safe HTML, slugs, accent folding."""
import re
import unicodedata

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td", "abbr", "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"}, "abbr": {"title"}, "th": {"scope"},
    "img": {"src", "srcset", "sizes", "width", "height", "alt"},
}
# Images only from the portal's own media, which are checked, stripped and resized on upload.
MEDIA_PREFIX = "/medios/"
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(source):
    """Markdown written by the webmaster as HTML safe to publish (sanitised with nh3)."""
    html = markdown.markdown(source or "", extensions=["sane_lists", "tables"], output_format="html")
    return sanitise_html(html)


def _own_media_only(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if value.startswith(MEDIA_PREFIX) else None
    if tag == "img" and attribute == "srcset":
        sources = [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
        return value if sources and all(source.startswith(MEDIA_PREFIX) for source in sources) else None
    return value


def sanitise_html(html):
    """Keep only an allow-list of tags, attributes and link schemes; images only from /medios/."""
    return nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer", clean_content_tags={"script", "style"},
        attribute_filter=_own_media_only,
        set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    )


def fold_accents(text):
    """Lower-case text without accents: 'Trámite' -> 'tramite' (ñ becomes n)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def slugify(text, max_length=80):
    """A URL slug from a Spanish title: 'Licencia de construcción' -> 'licencia-de-construccion'."""
    words = re.sub(r"[^a-z0-9]+", "-", fold_accents(text)).strip("-")
    return words[:max_length].rstrip("-")


def plain_text(html):
    """The words of an HTML fragment (for search and descriptions)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or "")).strip()


def shorten(text, length=160):
    """Cut text at a word boundary with an ellipsis."""
    text = (text or "").strip()
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


_WEB_LINK = re.compile(r"^https?://[^\s/\\?#@]+(?:[/?#][^\s\\]*)?$", re.IGNORECASE)
_SITE_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")


def is_safe_link(url):
    """True for an http(s) address or a path of the portal starting with a single '/'.

    Everything else (javascript:, data:, //host, /\\host, mailto:, relative paths) is refused:
    a link field in content must open a page or a file, never run anything or leave unnoticed.
    """
    return isinstance(url, str) and bool(_WEB_LINK.match(url) or _SITE_PATH.match(url))
