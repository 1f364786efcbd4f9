"""Problems found in a province's files: in English for the operator's command line, and in the panel's
language for the webmaster who caused them from the settings page."""
from flask_babel import format_decimal


class Problem(str):
    """An English message (what `flask check` prints) that can also say itself in the panel's language."""

    def __new__(cls, english, message, **values):
        """english: the command line's text; message: the same in Spanish, marked with lazy_gettext."""
        problem = super().__new__(cls, english)
        problem.message, problem.values = message, values
        return problem

    def in_panel_language(self):
        """The message translated now, with its numbers written the way the panel's language writes them."""
        values = {name: format_decimal(value, format="0.00") if isinstance(value, float) else value
                  for name, value in self.values.items()}
        return str(self.message) % values


def in_panel_language(problem):
    """Any problem for the panel: a Problem in the panel's language, any other message as it is."""
    return problem.in_panel_language() if isinstance(problem, Problem) else str(problem)
