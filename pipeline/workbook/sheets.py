"""A list-shaped sheet: a styled header, widths that fit, an Excel table, a frozen header."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.table import Table, TableStyleInfo

from pipeline.workbook.cells import HEADER_FILL, HEADER_FONT, CellMaker, is_blank, utf16_len
from pipeline.workbook.rules import (
    VALIDATION_MESSAGE_LIMIT,
    check_table_name,
    inline_list,
    unique_headers,
)

# Rows looked at to fit a column: the top of a ranked list is what the user sees first.
FIT_SAMPLE = 500
# Excel and LibreOffice do not grow a row for wrapped text they did not lay out themselves,
# so wrapped rows get a height: 15 points a line, at most 6 lines (the rest shows on click).
LINE_HEIGHT = 15
MAX_LINES = 6
# Room for the filter button Excel draws in each header cell.
FILTER_BUTTON = 3
MIN_WIDTH = 6


def fitted_widths(
    columns: Sequence[tuple[str, int]],
    samples: Mapping[str, Iterable[Any]],
    fixed: Sequence[str] = (),
) -> list[float]:
    """Fit each column to its header and the 90th percentile of its sampled values, capped."""
    widths = []
    for header, widest in columns:
        floor = max(MIN_WIDTH, utf16_len(header) * 1.1 + FILTER_BUTTON)
        if header in fixed or header not in samples:
            widths.append(max(floor, widest) if header in fixed else max(floor, min(10, widest)))
            continue
        lengths = sorted(
            max(utf16_len(line) for line in _display(value).split("\n"))
            for value in list(samples[header])[:FIT_SAMPLE]
            if not is_blank(value)
        )
        typical = lengths[math.ceil(0.9 * len(lengths)) - 1] if lengths else 0
        widths.append(round(max(floor, min(widest, typical + 2)), 1))
    return widths


def line_count(cell: Any, width: float) -> int:
    """Estimate the lines a wrapped cell needs at this column width."""
    value = cell.value if isinstance(cell, Cell) else cell
    if not isinstance(value, str) or not value:
        return 1
    # A column's width counts '0' digits; ordinary text runs a little narrower, words wrap early.
    per_line = max(1.0, width * 1.1 - 2)
    return sum(max(1, math.ceil(utf16_len(part) / per_line)) for part in value.split("\n"))


def _display(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


class ListSheet:
    """One sheet of rows under a header, finished as a filterable Excel table."""

    def __init__(
        self,
        book: Workbook,
        title: str,
        headers: Sequence[str],
        widths: Sequence[float],
        *,
        table_name: str,
        hidden: Sequence[str] = (),
        wrapped: Sequence[str] = (),
        freeze: str = "A2",
        link_budget: int | None = None,
    ) -> None:
        self.sheet = book.create_sheet(title)
        self.headers = unique_headers(headers)
        self.wrapped = [
            (index, widths[index]) for index, h in enumerate(self.headers) if h in wrapped
        ]
        check_table_name(table_name)
        self.table_name = table_name
        self.freeze = freeze
        self.rows = 0
        for position, (header, width) in enumerate(zip(self.headers, widths, strict=True), 1):
            dimension = self.sheet.column_dimensions[get_column_letter(position)]
            dimension.width = width
            if header in hidden:
                dimension.hidden = True
        self.maker = (
            CellMaker(self.sheet) if link_budget is None else CellMaker(self.sheet, link_budget)
        )
        self.sheet.freeze_panes = freeze
        # Printed, a list is landscape, one page wide, with the header on every page.
        self.sheet.page_setup.orientation = "landscape"
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.print_title_rows = "1:1"
        self.sheet.append(
            [self.maker.styled(h, font=HEADER_FONT, fill=HEADER_FILL) for h in self.headers]
        )

    def letter(self, header: str) -> str:
        """Return the column letter of a header."""
        return get_column_letter(self.headers.index(header) + 1)

    def column_range(self, header: str) -> str:
        """Return the data cells of one column, at least one row even when the sheet is empty."""
        letter = self.letter(header)
        return f"{letter}2:{letter}{self.last_row}"

    @property
    def last_row(self) -> int:
        return max(self.rows, 1) + 1

    def append(self, cells: Sequence[Any]) -> None:
        self.rows += 1
        if self.wrapped:
            lines = max(line_count(cells[index], width) for index, width in self.wrapped)
            if lines > 1:
                height = LINE_HEIGHT * min(lines, MAX_LINES) + 2
                self.sheet.row_dimensions[self.rows + 1] = RowDimension(
                    self.sheet, index=self.rows + 1, ht=height
                )
        self.sheet.append(list(cells))

    def dropdown(self, header: str, choices: Iterable[object], *, strict: bool = True) -> None:
        """Add a dropdown to one column; not strict lets the user type their own after a hint."""
        prompt = "Pick from the list" if strict else "Pick from the list, or type your own"
        validation = DataValidation(
            type="list",
            formula1=inline_list(choices),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
            errorTitle=header[:32],
            error=f"{prompt}."[:VALIDATION_MESSAGE_LIMIT],
        )
        validation.add(self.column_range(header))
        self.sheet.data_validations.append(validation)

    def finish(self) -> None:
        """Add the Excel table over every row: filters on the header, banded rows."""
        last = get_column_letter(len(self.headers))
        table = Table(displayName=self.table_name, ref=f"A1:{last}{self.last_row}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        table._initialise_columns()  # type: ignore[attr-defined]
        for column, header in zip(table.tableColumns, self.headers, strict=True):
            column.name = header
        with warnings.catch_warnings():
            # openpyxl warns that write-only tables need their columns named: done just above.
            warnings.simplefilter("ignore", UserWarning)
            self.sheet.add_table(table)
