"""Markdown from the webmaster comes out inert whatever it holds."""
import pytest

from redpinar.text import fold_accents, render_markdown, slugify

HOSTILE_MARKDOWN = [
    "<script>alert(1)</script>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">clic</a>",
    "[clic](javascript:alert(1))",
    "[datos](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<p style=\"background:url(javascript:alert(1))\">estilo</p>",
    "<div onclick=\"alert(1)\"><b>mal <i>anidado</b></i></div>",
    "<svg onload=alert(1)><circle/></svg>",
    "<object data=\"x.swf\"></object><embed src=\"x\">",
    "<form action=\"https://evil.example\"><input name=p></form>",
    "![foto](https://evil.example/rastreo.png)",
    "<img src=\"/medios/x-640.jpg\" srcset=\"https://evil.example/a.jpg 640w\" alt=\"x\">",
]


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_markdown_comes_out_inert(source):
    html = render_markdown(source).lower()
    for dangerous in ("<script", "<iframe", "onerror", "onclick", "onload", "javascript:", "data:text",
                      "style=", "<svg", "<object", "<embed", "<form", "<input", "evil.example"):
        assert dangerous not in html, (source, html)


def test_images_from_the_portals_media_keep_their_sizes_and_load_lazily():
    html = render_markdown('<img src="/medios/a-640.jpg" srcset="/medios/a-320.jpg 320w, /medios/a-640.jpg 640w" '
                           'sizes="100vw" width="640" height="480" alt="Policlínico">')
    assert 'srcset="/medios/a-320.jpg 320w, /medios/a-640.jpg 640w"' in html
    assert 'loading="lazy"' in html and 'alt="Policlínico"' in html


def test_links_get_noopener_and_plain_formatting_survives():
    html = render_markdown("**Hola** [portal](https://www.example.cu) y una lista:\n\n- uno\n- dos")
    assert "<strong>Hola</strong>" in html and 'rel="noopener noreferrer"' in html and "<li>dos</li>" in html


def test_slugs_fold_spanish_accents():
    assert slugify("Licencia de construcción: ¿Qué necesito?") == "licencia-de-construccion-que-necesito"
    assert fold_accents("PEÑA Güira") == "pena guira"
