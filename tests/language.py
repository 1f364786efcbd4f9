"""The address of a page in English, for tests that read the English version."""


def english(path):
    """The English address of the Spanish page at `path`: the same path under /en/."""
    return "/en" + path


def address_in(language, path):
    """The address of the Spanish page at `path` in `language` ('es' or 'en')."""
    return english(path) if language == "en" else path
