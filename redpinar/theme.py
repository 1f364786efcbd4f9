"""The province's colours: WCAG contrast of every text/background pair the pages use."""
import re

from flask_babel import lazy_gettext as _l

from .problems import Problem

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MINIMUM_CONTRAST = 4.5

# (text colour, background colour): every pair the stylesheet puts text on.
TEXT_PAIRS = (
    ("text", "background"),
    ("muted_text", "background"),
    ("link", "background"),
    ("text", "surface"),
    ("link", "surface"),
    ("on_primary", "primary"),
    ("on_header", "header"),
    ("on_footer", "footer"),
    ("text", "accent"),
)
COLOUR_NAMES = sorted({name for pair in TEXT_PAIRS for name in pair})


def _channel(value):
    value = value / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour):
    """WCAG 2.1 relative luminance of a #rrggbb colour."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first, second):
    """WCAG 2.1 contrast ratio between two #rrggbb colours (1 to 21)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def colour_problems(colours):
    """Messages naming each missing or malformed colour and each pair below 4.5:1."""
    problems = []
    for name in COLOUR_NAMES:
        value = colours.get(name) if isinstance(colours, dict) else None
        if not isinstance(value, str) or not HEX_COLOUR.match(value):
            english = f"colour '{name}' must be written #rrggbb, found {value!r}"
            if value is None:
                problems.append(Problem(english, _l("Falta el color «%(name)s», escrito #rrggbb."), name=name))
            else:
                problems.append(Problem(english, _l("El color «%(name)s» debe escribirse #rrggbb, no «%(value)s»."),
                                        name=name, value=value))
    if problems:
        return problems
    for text, background in TEXT_PAIRS:
        ratio = contrast_ratio(colours[text], colours[background])
        if ratio < MINIMUM_CONTRAST:
            problems.append(Problem(
                f"colours '{text}' {colours[text]} on '{background}' {colours[background]} "
                f"have contrast {ratio:.2f}:1, below the 4.5:1 WCAG AA needs for text",
                _l("El color «%(text)s» (%(text_colour)s) sobre «%(background)s» (%(background_colour)s) tiene un "
                   "contraste de %(ratio)s a 1; un texto necesita al menos 4,5 a 1 (WCAG AA)."),
                text=text, text_colour=colours[text], background=background,
                background_colour=colours[background], ratio=ratio))
    return problems


def css_variables(colours):
    """The :root rule that gives the stylesheet the province's colours."""
    lines = [f"--{name.replace('_', '-')}:{colours[name]}" for name in COLOUR_NAMES]
    return ":root{" + ";".join(lines) + "}"
