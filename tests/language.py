"""The address of a page in English, for tests that read the English version."""


def english(path):
    """The English address of the Spanish page at `path`: the same path under /en/."""
    return "/en" + path
