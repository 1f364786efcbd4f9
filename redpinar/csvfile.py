"""CSV files the portal hands out, public or in the panel: made to open right in a Spanish spreadsheet.

Every cell is safe to open (no formulas), the file starts with a UTF-8 byte order mark (without it a
spreadsheet reads "Pinar del RÃ­o"), and cells are separated by semicolons: where the comma is the
decimal separator, as in Spanish, a spreadsheet splits a double-clicked CSV file at semicolons and
would put a comma-separated row whole into the first column.
"""
import csv
import io
from datetime import date, datetime, timezone

# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DELIMITER = ";"
BOM = "\ufeff"


def safe_cell(value):
    """A text cell that cannot start a formula: a leading = + - @ (or tab, CR) gets a ' before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def local_time(moment, zone):
    """A moment as the province's wall-clock time, the way a spreadsheet reads it: 2026-11-30 09:15."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def _cell(value, zone):
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")  # the decimal comma of a Spanish spreadsheet
    if isinstance(value, datetime):
        return local_time(value, zone)
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell("" if value is None else str(value))


def csv_text(rows, zone=timezone.utc):
    """The text of a CSV file (byte order mark first); datetimes are written as local times in zone."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER)
    for row in rows:
        writer.writerow([_cell(value, zone) for value in row])
    return BOM + buffer.getvalue()


def csv_response(rows, filename, zone=timezone.utc):
    """(body, status, headers) of a CSV download whose every cell went through safe_cell."""
    return csv_text(rows, zone), 200, {"Content-Type": "text/csv; charset=utf-8",
                                       "Content-Disposition": f'attachment; filename="{filename}"'}
