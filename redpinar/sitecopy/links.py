"""Finding and rewriting the links of a page or stylesheet, and where each address lives in a copy."""
import html
import posixpath
import re
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

# The attributes that point at another address (forms are gone from a copy, but an override may keep one).
LINK_ATTRIBUTE = re.compile(
    r"""(?P<lead>\s(?P<name>href|src|srcset|action|poster)\s*=\s*)(?P<quote>["'])(?P<value>[^"']*)(?P=quote)""",
    re.IGNORECASE)
# A start tag: attribute values are escaped in the portal's pages, so none holds < or >.
START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
CSS_URL = re.compile(r"""url\(\s*(?P<quote>["']?)(?P<value>[^"')\s]+)(?P=quote)\s*\)""")
NOT_ADDRESSES = ("#", "mailto:", "tel:", "data:", "javascript:", "about:")
# Static files carry ?v=<fingerprint>; the file is the same whatever the fingerprint.
STATIC_PREFIXES = ("/static/", "/tema/")
FINGERPRINT = "v"
MAX_SEGMENT = 200
MAX_DEPTH = 24
_ORIGIN = "http://copy.invalid"


def sitemap_addresses(xml_text):
    """The <loc> addresses of a sitemap."""
    return [html.unescape(match) for match in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", xml_text)]


def file_for(path):
    """The file of an address in the copy ('/tramites/x/' -> 'tramites/x/index.html'), or None.

    Addresses ending in / become folders with an index.html; the last part of other addresses must
    have an extension (feeds, images) so a plain web server gives the right type. Anything that could
    leave the copy's folder, or hide in it, gives None.
    """
    if not path.startswith("/") or "?" in path or "#" in path:
        return None
    segments = unquote(path).split("/")[1:]
    if path.endswith("/"):
        segments = segments[:-1] + ["index.html"]
    elif "." not in segments[-1].strip("."):
        return None
    if len(segments) > MAX_DEPTH:
        return None
    for segment in segments:
        if not segment or segment.startswith(".") or len(segment) > MAX_SEGMENT \
                or any(character in segment for character in "\\\0:") or not segment.isprintable():
            return None
    return "/".join(segments)


class Address:
    """A link of a page, resolved against the page's address."""

    __slots__ = ("path", "query", "fragment", "internal")

    def __init__(self, page_path, raw, prefix=""):
        parts = urlsplit(urljoin(_ORIGIN + prefix + page_path, raw))
        self.internal = parts.scheme + "://" + parts.netloc == _ORIGIN and parts.path.startswith(prefix + "/")
        self.path = parts.path[len(prefix):] if self.internal else parts.path
        self.query = parts.query
        self.fragment = parts.fragment

    def followed_path(self):
        """The path the exporter asks for, or None when the link is not part of the copy."""
        if not self.internal:
            return None
        if not self.query:
            return self.path
        names = {name for name, _value in parse_qsl(self.query, keep_blank_values=True)}
        if self.path.startswith(STATIC_PREFIXES) and names <= {FINGERPRINT}:
            return self.path
        return None  # filters, pages of a list, ?lang=: they have no file of their own


def _is_link(raw):
    raw = raw.strip()
    return bool(raw) and not raw.lower().startswith(NOT_ADDRESSES)


def page_links(text):
    """Every address a page's tags point at (unescaped, as written)."""
    found = []
    for tag in START_TAG.finditer(text):
        for attribute in LINK_ATTRIBUTE.finditer(tag.group(0)):
            found.extend(_values(attribute.group("name"), html.unescape(attribute.group("value"))))
    return [raw for raw in found if _is_link(raw)]


def stylesheet_links(text):
    """Every address a stylesheet's url() points at."""
    return [match.group("value") for match in CSS_URL.finditer(text) if _is_link(match.group("value"))]


def _values(name, value):
    if name.lower() != "srcset":
        return [value]
    return [candidate.strip().split()[0] for candidate in value.split(",") if candidate.strip()]


class Rewriter:
    """Turns each link of a copied file into the address it has in the copy.

    exported: {path: file in the copy}; aliases: {path: path it redirects to}. A link to something
    the copy holds points at it (relative to the file when offline); a link to anything else (a
    filter, a form, a page left out) points at the live site, so that nothing in the copy dangles.
    """

    def __init__(self, exported, aliases, live_base, prefix="", offline=False):
        self.exported = exported
        self.aliases = aliases
        self.live_base = live_base
        self.prefix = prefix
        self.offline = offline

    def target(self, page_path, page_file, raw):
        """The rewritten form of one link of the file page_file (at page_path)."""
        if not _is_link(raw):
            return raw
        address = Address(page_path, raw, self.prefix)
        if not address.internal:
            return raw
        followed = address.followed_path()
        followed = self.aliases.get(followed, followed)
        fragment = "#" + address.fragment if address.fragment else ""
        if followed in self.exported:
            if self.offline:
                relative = posixpath.relpath(self.exported[followed], posixpath.dirname(page_file) or ".")
                return quote(relative) + fragment
            query = "?" + address.query if address.query and followed == address.path else ""
            return self.prefix + followed + query + fragment
        query = "?" + address.query if address.query else ""
        return self.live_base + address.path + query + fragment

    def page(self, page_path, page_file, text):
        """A page with every link rewritten."""
        def attribute(match):
            name, value = match.group("name"), html.unescape(match.group("value"))
            if name.lower() == "srcset":
                rewritten = ", ".join(self._candidate(page_path, page_file, candidate)
                                      for candidate in value.split(",") if candidate.strip())
            else:
                rewritten = self.target(page_path, page_file, value)
            return f'{match.group("lead")}"{html.escape(rewritten, quote=True)}"'

        return START_TAG.sub(lambda tag: LINK_ATTRIBUTE.sub(attribute, tag.group(0)), text)

    def _candidate(self, page_path, page_file, candidate):
        parts = candidate.strip().split(None, 1)
        return " ".join([self.target(page_path, page_file, parts[0])] + parts[1:])

    def stylesheet(self, page_path, page_file, text):
        """A stylesheet with every url() rewritten."""
        return CSS_URL.sub(lambda match: 'url("{}")'.format(
            self.target(page_path, page_file, match.group("value")).replace('"', "%22")), text)
