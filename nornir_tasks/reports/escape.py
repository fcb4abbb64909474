"""Escaping for the places report text ends up in: spreadsheet cells (CSV and xlsx), Markdown, and JSON inside an
HTML ``<script>`` element. Any site name, waiver reason or finding can be written by someone else, so no report
ever passes such text on unescaped.

Spreadsheets follow the OWASP CSV-injection guidance: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return would be read as a formula (``=HYPERLINK(...)``, ``=cmd|' /C calc'!A0``), so it is prefixed with
a single quote in CSV; in xlsx it is stored as text with Excel's own hidden quote prefix.
"""

from __future__ import annotations

import json
from typing import Any

#: The first characters that make a spreadsheet read a cell as a formula (OWASP CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A value safe to put in a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``.

    Numbers stay numbers (a negative number is not text).

    Examples:
        >>> csv_cell('=HYPERLINK("http://x","bấm")'), csv_cell("-1+1"), csv_cell("@SUM(A1)"), csv_cell(-3)
        ('\\'=HYPERLINK("http://x","bấm")', "'-1+1", "'@SUM(A1)", -3)
        >>> csv_cell("Xã Sìn Hồ")
        'Xã Sìn Hồ'
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def guard_sheet(ws: Any) -> int:
    """Make every cell of an openpyxl worksheet that would be a formula plain text (quote-prefixed, as Excel
    stores a typed ``'=...``); return how many cells were changed. govnet never writes formulas itself.

    Examples:
        >>> from openpyxl import Workbook
        >>> ws = Workbook().active
        >>> ws.append(['=HYPERLINK("http://x","x")', "-1", "ok", 5])
        >>> guard_sheet(ws), ws["A1"].data_type, ws["A1"].value, ws["A1"].quotePrefix, ws["C1"].quotePrefix
        (2, 's', '=HYPERLINK("http://x","x")', True, False)
    """
    changed = 0
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True
                changed += 1
    return changed


def markdown_text(value: Any) -> str:
    """Text safe inside a Markdown table cell or paragraph: HTML is shown as text, Markdown syntax is literal,
    a ``|`` does not split the cell and a line break does not end the row.

    Examples:
        >>> markdown_text('<img src=x onerror=alert(1)> | *x* [a](javascript:b)')
        '&lt;img src=x onerror=alert(1)&gt; \\\\| \\\\*x\\\\* \\\\[a\\\\](javascript:b)'
    """
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = []
    for ch in text:
        if ch in "\\`*_[]|~":
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def script_json(data: Any) -> str:
    """JSON to embed in an HTML ``<script>`` element: ``<``, ``>``, ``&`` and the JavaScript line separators are
    written as ``\\uXXXX``, so no value (``</script>``, ``<!--<script>``) can end or bend the element.

    Examples:
        >>> script_json({"name": "<!--<script>"})
        '{"name":"\\\\u003c!--\\\\u003cscript\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
