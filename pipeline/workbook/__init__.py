"""The workbook: the sheets of the contract, written safely, and the user's work read back."""

from pipeline.workbook.previous import PreviousWorkbook, read_previous
from pipeline.workbook.summary import SummaryContent
from pipeline.workbook.writer import (
    WorkbookContent,
    WriteResult,
    check_writable,
    write_workbook,
)

__all__ = [
    "PreviousWorkbook",
    "SummaryContent",
    "WorkbookContent",
    "WriteResult",
    "check_writable",
    "read_previous",
    "write_workbook",
]
