"""Readable text from an HTML body: enough for rules and people, not a renderer.

Tables matter here. An ERP system or a web shop sends a purchase order as an HTML table,
and the order lines are only recognisable as lines: one row to a line, its cells side by
side ("GT-ACU-N | Chitarra acustica | 4"). Mail programs also lay out signatures and
letterheads as tables, with several lines in one cell; such a row keeps its lines, so a
signature still reads as a signature.

Lines are laid out as a mail program shows them: each block (a paragraph, a div) starts a
line; a blank line follows a paragraph with a browser's spacing, or an empty block, since
Outlook writes every line as a paragraph without spacing and Gmail every line as a div. Quoted mail (``<blockquote>``) comes out with "> " before each
line, as in a plain-text reply, so what was quoted is still told from what is new.

Built on the standard library's tokenizer, which reads broken markup without complaint and
in one pass, whatever a hostile sender nests.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_SKIPPED = {"script", "style", "head", "title"}
# Tags that start and end a block of text: a line break.
_BLOCKS = {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
           "section", "article", "header", "footer", "address", "dl", "dt", "dd", "center"}
_BLANKS = re.compile(r"[ \t\r\f\v\xa0]+")
_QUOTE_START, _QUOTE_END = "\x01", "\x02"  # where a blockquote opens and closes, on lines of their own
_MANY_NL = re.compile(r"\n\s*\n\s*\n+")


class _Table:
    def __init__(self) -> None:
        self.row: list[str] = []  # the current row's finished cells
        self.cell: list[str] | None = None  # the open cell's text


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.tables: list[_Table] = []
        self.skipping = 0
        self.pre = 0  # inside <pre>, line breaks in the source are the text's own
        self.spaced: list[bool] = []  # for each open <p>, whether a blank line follows it

    def _target(self) -> list[str]:
        for table in reversed(self.tables):
            if table.cell is not None:
                return table.cell
        return self.out

    def _line_start(self) -> None:
        """Begin a new line unless one has just begun: blocks in a row are lines in a row."""
        target = self._target()
        if target and not target[-1].endswith("\n"):
            target.append("\n")

    def _end_cell(self, table: _Table) -> None:
        if table.cell is not None:
            text = "".join(table.cell)
            table.cell = None
            table.row.append(_tidy(text))

    def _end_row(self, table: _Table) -> None:
        self._end_cell(table)
        cells = [c for c in table.row if c]
        table.row = []
        if not cells:
            return
        # Cells of one line each are a row of data; a cell of several lines is layout.
        joined = " | ".join(cells) if all("\n" not in c for c in cells) else "\n".join(cells)
        self._target().append(f"{joined}\n")

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "table":
            self._target().append("\n")
            self.tables.append(_Table())
        elif self.tables and tag == "tr":
            self._end_row(self.tables[-1])
        elif self.tables and tag in ("td", "th"):
            table = self.tables[-1]
            self._end_cell(table)
            table.cell = []
        else:
            if tag == "pre":
                self.pre += 1
            if tag == "br":
                self._target().append("\n")
            elif tag in _BLOCKS:
                self._line_start()
                if tag == "blockquote":
                    self._target().append(f"{_QUOTE_START}\n")
                elif tag == "p":
                    self.spaced.append(_spaced(dict(attrs)))

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._target().append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            self._end_row(table)
            self._target().append("\n")
        elif self.tables and tag == "tr":
            self._end_row(self.tables[-1])
        elif self.tables and tag in ("td", "th"):
            self._end_cell(self.tables[-1])
        else:
            if tag == "pre":
                self.pre = max(0, self.pre - 1)
            if tag in _BLOCKS:
                self._line_start()
                if tag == "blockquote":
                    self._target().append(f"{_QUOTE_END}\n")
                elif tag == "p" and self.spaced and self.spaced.pop():
                    self._target().append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.tables and self.tables[-1].cell is None:
            return  # the white space between cells and rows
        data = data.replace(_QUOTE_START, "").replace(_QUOTE_END, "")
        target = self._target()
        if not self.pre and not data.strip(" \t\r\n\f\v") and (not target or target[-1].endswith("\n")):
            return  # the white space between blocks
        # As a browser shows it: a line break in the source is a space, but in <pre>.
        target.append(data if self.pre else data.replace("\r", " ").replace("\n", " "))

    def close(self) -> None:
        super().close()
        while self.tables:
            self._end_row(self.tables.pop())


def _spaced(attrs: dict) -> bool:
    """Whether a paragraph is shown with space below it: a browser's default, but not
    Outlook's (class MsoNormal, no margin), where each paragraph is one line."""
    style = (attrs.get("style") or "").replace(" ", "").lower()
    return "msonormal" not in (attrs.get("class") or "").lower() and "margin:0" not in style


def _tidy(text: str) -> str:
    lines = (_BLANKS.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def html_to_text(markup: str) -> str:
    """The text of an HTML body, a line for each paragraph and for each row of data."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    text = _BLANKS.sub(" ", "".join(parser.out))
    return _MANY_NL.sub("\n\n", "\n".join(_quoted(line.strip() for line in text.splitlines()))).strip()


def _quoted(lines):
    """The lines, those inside blockquotes marked "> " once for each level."""
    depth = 0
    for line in lines:
        opened, closed = line.count(_QUOTE_START), line.count(_QUOTE_END)
        line = line.replace(_QUOTE_START, "").replace(_QUOTE_END, "").strip()
        depth += opened
        if line or not (opened or closed):
            yield f"{'>' * depth} {line}".rstrip() if depth else line
        depth = max(0, depth - closed)
