"""Find and load input files: a LinkedIn export (zip, folder or CSV) and alumni spreadsheets."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.errors import InputError
from pipeline.ingest.tables import (
    RawTable,
    is_spreadsheet_zip,
    read_spreadsheet_tables,
    read_text_table,
    sniff_format,
)

# A LinkedIn export is small; anything far larger inside a zip is a decompression bomb.
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_FILE_BYTES = 4 * 1024**3
EXPORT_FILES = {
    "connections": ("connections.csv",),
    "profile": ("profile.csv",),
    "education": ("education.csv",),
    "messages": ("messages.csv",),
    "invitations": ("invitations.csv",),
}


@dataclass
class LoadedFile:
    """The bytes of one input file and the name a person knows it by."""

    name: str
    data: bytes
    origin: str


@dataclass
class LinkedInExport:
    """The files of one LinkedIn export that the pipeline uses; only Connections is required."""

    origin: str
    connections: LoadedFile
    side_files: dict[str, LoadedFile] = field(default_factory=dict)


def read_bytes(path: Path) -> bytes:
    """Read a whole input file, turning OS errors into a clear message."""
    if not path.exists():
        raise InputError(
            "file not found",
            where=str(path),
            fix="Check the path; put it in quotes if it contains spaces.",
        )
    if path.is_dir():
        raise InputError(
            "this is a folder, not a file",
            where=str(path),
            fix="Pass the spreadsheet or CSV file inside it.",
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"the file is {size / 1024**3:.1f} GB, larger than any real export",
                where=str(path),
                fix="Pass the export itself, not a disk image or archive of many files.",
            )
        return path.read_bytes()
    except PermissionError as error:
        raise InputError(
            "permission denied when reading the file",
            where=str(path),
            fix="Copy it somewhere you can read, or change its permissions.",
        ) from error
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror})", where=str(path)) from error


def open_linkedin_export(path: Path) -> LinkedInExport:
    """Locate Connections.csv (and side files) in an export zip, its folder, or a bare CSV."""
    files = export_files(path)
    if "connections" not in files:
        kind = "folder" if path.is_dir() else "zip"
        raise InputError(
            f"no Connections.csv in this {kind}",
            where=str(path),
            fix="Request LinkedIn's export with 'Connections' selected (or the full archive), "
            "or pass Connections.csv itself.",
        )
    connections = files.pop("connections")
    return LinkedInExport(origin=str(path), connections=connections, side_files=files)


def export_files(path: Path) -> dict[str, LoadedFile]:
    """The export files found in a folder, a zip, or a single CSV (as Connections.csv)."""
    if path.is_dir():
        return _files_in_folder(path)
    data = read_bytes(path)
    kind = sniff_format(data, path.name)
    if kind == "empty":
        raise InputError(
            "the file is empty (0 bytes)",
            where=str(path),
            fix="Download the LinkedIn export again; the file was not saved completely.",
        )
    if kind == "zip" and not is_spreadsheet_zip(data):
        return _files_in_zip(path, data)
    return {"connections": LoadedFile(path.name, data, str(path))}


def _role_of(name: str) -> str | None:
    lowered = name.lower()
    for role, names in EXPORT_FILES.items():
        if lowered in names:
            return role
    return None


def _files_in_folder(folder: Path) -> dict[str, LoadedFile]:
    found: dict[str, Path] = {}
    # LinkedIn puts files at the root; an unzip tool may add a folder level or two.
    for candidate in sorted(folder.rglob("*"), key=lambda p: (len(p.parts), str(p))):
        if len(candidate.relative_to(folder).parts) > 3 or not candidate.is_file():
            continue
        role = _role_of(candidate.name)
        if role and role not in found:
            found[role] = candidate
    return {role: LoadedFile(p.name, read_bytes(p), str(p)) for role, p in found.items()}


def _files_in_zip(path: Path, data: bytes) -> dict[str, LoadedFile]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise InputError(
            "this zip file is damaged and cannot be opened",
            where=str(path),
            fix="Download the export from LinkedIn again.",
        ) from error
    with archive:
        members: dict[str, zipfile.ZipInfo] = {}
        for info in sorted(archive.infolist(), key=lambda i: (i.filename.count("/"), i.filename)):
            member = PurePosixPath(info.filename)
            if info.is_dir() or len(member.parts) > 3:
                continue
            role = _role_of(member.name)
            if role and role not in members:
                members[role] = info
        return {
            role: LoadedFile(
                PurePosixPath(info.filename).name,
                _read_member(archive, info, path),
                f"{path}!{info.filename}",
            )
            for role, info in members.items()
        }


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    """Read one zip member in memory, refusing members that would expand absurdly."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise InputError(
            f"'{info.filename}' would expand to {info.file_size / 1024**3:.1f} GB",
            where=str(path),
            fix="This is not a real LinkedIn export; download it again from LinkedIn.",
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
        raise InputError(
            f"'{info.filename}' inside the zip is damaged or encrypted ({error})",
            where=str(path),
            fix="Download the export from LinkedIn again.",
        ) from error
    if len(data) > MAX_MEMBER_BYTES:
        raise InputError(
            f"'{info.filename}' expands beyond {MAX_MEMBER_BYTES // 1024**3} GB",
            where=str(path),
            fix="This is not a real LinkedIn export; download it again from LinkedIn.",
        )
    return data


def load_tables(loaded: LoadedFile) -> list[RawTable]:
    """Read a file's tables by what its bytes are, not by what its name claims."""
    kind = sniff_format(loaded.data, loaded.name)
    if kind == "empty":
        raise InputError(
            "the file is empty (0 bytes)",
            where=loaded.origin,
            fix="Export it again from the program it came from.",
        )
    if kind == "ole" or (kind == "zip" and is_spreadsheet_zip(loaded.data)):
        tables = read_spreadsheet_tables(loaded.data, loaded.name)
        suffix = PurePosixPath(loaded.name.lower()).suffix
        if suffix in {".csv", ".tsv", ".txt"}:
            for table in tables:
                table.notes.append("named like a text file but is really a workbook")
        return tables
    if kind == "zip":
        raise InputError(
            "this is a zip archive, not a spreadsheet",
            where=loaded.origin,
            fix="Unzip it and pass the spreadsheet inside; a LinkedIn export goes to "
            "--connections.",
        )
    return [read_text_table(loaded.data, loaded.name)]
