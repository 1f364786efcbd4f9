"""CSV files the portal hands out, public or in the panel: every cell safe to open in a spreadsheet."""
import csv
import io

# A cell starting with one of these runs as a formula in a spreadsheet (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell that cannot start a formula: a leading = + - @ (or tab, CR) gets a ' before it."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(rows, filename):
    """(body, status, headers) of a CSV download whose every cell went through safe_cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value if isinstance(value, (int, float)) else str(value)) for value in row])
    return buffer.getvalue(), 200, {"Content-Type": "text/csv; charset=utf-8",
                                    "Content-Disposition": f'attachment; filename="{filename}"'}
