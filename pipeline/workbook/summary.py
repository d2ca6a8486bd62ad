"""The Summary sheet: the run report in a few small tables, with charts of tiers and employers."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.styles import Alignment, Font, PatternFill

from pipeline.workbook.cells import FONT_NAME, HEADER_FILL, HEADER_FONT, WRAP, CellMaker
from pipeline.workbook.layout import SUMMARY

TITLE_FONT = Font(name=FONT_NAME, bold=True, size=16, color="1F3864")
SUBTITLE_FONT = Font(name=FONT_NAME, italic=True, color="595959")
SECTION_FONT = Font(name=FONT_NAME, bold=True, size=12, color="1F3864")
BIG_NUMBER_FONT = Font(name=FONT_NAME, bold=True, size=14)
LEFT = Alignment(horizontal="left", vertical="top")
SECTION_FILL = PatternFill("solid", fgColor="D9E1F2")
RIGHT = Alignment(horizontal="right", vertical="top")
INPUT_HEADERS = (
    "File",
    "Kind",
    "Rows read",
    "Kept",
    "Merged",
    "Skipped",
    "Header row",
    "Format",
    "Notes",
)
WIDTHS = (34, 22, 11, 11, 11, 11, 11, 20, 60)
TIER_COLORS = {"A": "70AD47", "B": "FFC000", "C": "A5A5A5"}


@dataclass
class SummaryContent:
    """The run report, already in words and numbers."""

    generated: dt.datetime
    inputs: list[dict[str, Any]]
    facts: list[tuple[str, Any]]
    tiers: dict[str, int]
    top_employers: list[tuple[str, int, float]]
    changes: dict[str, int]
    notes: list[str] = field(default_factory=list)


class _Report:
    """Appends rows to the Summary sheet and remembers where each block starts."""

    def __init__(self, book: Workbook) -> None:
        self.sheet = book.create_sheet(SUMMARY)
        self.maker = CellMaker(self.sheet)
        self.rows = 0
        for position, width in enumerate(WIDTHS, start=1):
            self.sheet.column_dimensions[chr(64 + position)].width = width

    def put(self, *values: Any) -> int:
        self.sheet.append(list(values))
        self.rows += 1
        return self.rows

    def section(self, title: str) -> None:
        self.put()
        self.put(
            self.maker.styled(title, font=SECTION_FONT, fill=SECTION_FILL),
            *[self.maker.styled(None, fill=SECTION_FILL) for _ in WIDTHS[1:]],
        )

    def header(self, *names: str) -> int:
        return self.put(*[self.maker.styled(n, font=HEADER_FONT, fill=HEADER_FILL) for n in names])

    def text(self, value: Any, **style: Any) -> Any:
        return self.maker.styled(value, **style) if style else self.maker.value(value)


def write_summary(book: Workbook, summary: SummaryContent) -> None:
    """Write Summary: headline numbers, inputs, tiers and employers with charts, changes, notes."""
    report = _Report(book)
    maker = report.maker
    report.put(report.text("Your outreach plan: run report", font=TITLE_FONT))
    report.put(report.text(f"Made {summary.generated:%Y-%m-%d %H:%M}", font=SUBTITLE_FONT))

    report.section("At a glance")
    facts = dict(summary.facts)
    for label in _headline_labels(facts):
        value = facts[label]
        report.put(report.text(label), maker.styled(value, font=BIG_NUMBER_FONT, alignment=LEFT))
    for label, count in summary.changes.items():
        report.put(
            report.text(f"Since the last run: {label.lower()}"),
            maker.styled(count, font=BIG_NUMBER_FONT, alignment=LEFT),
        )

    report.section("Inputs")
    report.header(*INPUT_HEADERS)
    for item in summary.inputs:
        report.put(
            report.text(item["name"]),
            report.text(item["kind"]),
            item["rows_read"],
            item["rows_kept"],
            item.get("rows_merged"),
            item["rows_skipped"],
            item["header_row"],
            report.text(item["format"]),
            report.text(item["notes"], alignment=WRAP) if item["notes"] else None,
        )
    total_row: list[Any] = ["Total", None]
    for key in ("rows_read", "rows_kept", "rows_merged", "rows_skipped"):
        total_row.append(sum(int(i.get(key) or 0) for i in summary.inputs))
    report.put(*[maker.styled(v, font=Font(name=FONT_NAME, bold=True)) for v in total_row])

    report.section("People")
    for label, value in summary.facts:
        if label in _headline_labels(facts):
            continue
        shown = value if isinstance(value, int | float) else report.text(value)
        report.put(report.text(label), shown)

    report.section("Contacts per tier")
    report.header("Tier", "Contacts")
    first = report.rows + 1
    for tier in ("A", "B", "C"):
        report.put(report.text(tier), summary.tiers.get(tier, 0))
    _tier_chart(report, first)
    for _ in range(max(0, 15 - 4)):
        report.put()  # room for the chart, which sits beside the tier table

    report.section("Top employers")
    report.header("Employer", "Contacts", "Best score")
    first = report.rows + 1
    for name, count, best in summary.top_employers:
        report.put(report.text(name), count, best)
    if summary.top_employers:
        most = max(count for _, count, _ in summary.top_employers)
        _employer_chart(report, first, len(summary.top_employers), most)
        for _ in range(max(0, 16 - len(summary.top_employers))):
            report.put()

    if summary.notes:
        report.section("Notes")
        for note in summary.notes:
            report.put(report.text(note))


def _headline_labels(facts: dict[str, Any]) -> list[str]:
    wanted = ("People after merging duplicates", "Contacts with drafts", "Rows read", "Field")
    return [label for label in wanted if label in facts]


def _tier_chart(report: _Report, first: int) -> None:
    chart = BarChart()
    chart.type = "col"
    chart.title = "Contacts per tier"
    chart.y_axis.title = "Contacts"
    chart.y_axis.majorGridlines = None
    chart.legend = None
    data = Reference(report.sheet, min_col=2, min_row=first - 1, max_row=first + 2)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(report.sheet, min_col=1, min_row=first, max_row=first + 2))
    chart.series[0].graphicalProperties.solidFill = "4472C4"
    chart.dataLabels = _value_labels()
    chart.height, chart.width = 6.5, 12
    report.sheet.add_chart(chart, f"D{first - 1}")


def _value_labels() -> DataLabelList:
    # Say every part off: LibreOffice otherwise prints series, category and legend key too.
    return DataLabelList(
        showVal=True, showSerName=False, showCatName=False, showLegendKey=False, showPercent=False
    )


def _employer_chart(report: _Report, first: int, count: int, max_count: int) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = "Contacts at your top employers"
    chart.legend = None
    chart.x_axis.scaling.orientation = "maxMin"  # best employer on top, as in the table
    data = Reference(report.sheet, min_col=2, min_row=first - 1, max_row=first + count - 1)
    chart.add_data(data, titles_from_data=True)
    cats = Reference(report.sheet, min_col=1, min_row=first, max_row=first + count - 1)
    chart.set_categories(cats)
    chart.series[0].graphicalProperties.solidFill = "70AD47"
    chart.y_axis.majorUnit = max(1, math.ceil(max_count / 5))
    chart.y_axis.number_format = "0"
    chart.dataLabels = _value_labels()
    chart.height, chart.width = 7.5, 14
    report.sheet.add_chart(chart, f"E{first - 1}")
