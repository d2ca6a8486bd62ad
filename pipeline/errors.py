"""The project's exceptions: one root the CLI catches; messages say what, where, how to fix."""

from __future__ import annotations


class OutreachError(Exception):
    """A problem the user can fix; its message is shown as one clear line, never a traceback."""

    def __init__(self, what: str, *, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.where}: {self.what}" if self.where else self.what
        if self.fix:
            text = f"{text.rstrip('.')}. {self.fix}"
        return text

    def __str__(self) -> str:
        return self.message


class InputError(OutreachError):
    """An input file is missing, unreadable or holds no usable rows."""


class ProfileError(OutreachError):
    """profile.toml is missing, malformed or holds a wrong key or value."""


class TemplateError(OutreachError):
    """A message template cannot be rendered."""


class WorkbookError(OutreachError):
    """The output workbook cannot be read back or replaced."""
