"""Find and load input files: a LinkedIn export (zip, folder or CSV) and alumni spreadsheets."""

from __future__ import annotations

import errno
import io
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.errors import InputError
from pipeline.ingest.spreadsheet_limits import ZIP_ERRORS
from pipeline.ingest.tables import (
    SPREADSHEET_SUFFIXES,
    RawTable,
    check_not_foreign,
    read_spreadsheet_tables,
    read_text_table,
    sniff_format,
    zip_kind,
)

# A LinkedIn export is small; anything far larger inside a zip is a decompression bomb.
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_FILE_BYTES = 4 * 1024**3
# Text compresses about 3 to 20 times; a member that expands past BOMB_BYTES at more than
# BOMB_RATIO to one is padding made to exhaust memory, not an export.
BOMB_RATIO = 200
BOMB_BYTES = 64 * 1024**2
# Mail and cloud tools wrap a download in one more zip; a zip in a zip in a zip is not that.
MAX_NESTED_ZIPS = 1
EXPORT_FILES = {
    "connections": ("connections.csv",),
    "profile": ("profile.csv",),
    "education": ("education.csv",),
    "messages": ("messages.csv",),
    "invitations": ("invitations.csv",),
}
# LinkedIn puts files at the root; an unzip tool may add a folder level or two. Looking deeper,
# or at more entries, would mean someone passed their whole Downloads folder.
MAX_DEPTH = 3
MAX_ENTRIES = 20_000


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
    check_regular_file(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"the file is {size / 1024**3:.1f} GB, larger than any real export",
                where=str(path),
                fix="Pass the export itself, not a disk image or archive of many files.",
            )
        with path.open("rb") as handle:
            # Bounded even for a file that grows while it is read, or says 0 bytes and is not.
            data = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError as error:
        raise _permission_denied(path) from error
    except OSError as error:
        raise InputError(f"cannot be read ({error.strerror or error})", where=str(path)) from error
    if len(data) > MAX_FILE_BYTES:
        raise InputError(
            f"the file is larger than {MAX_FILE_BYTES // 1024**3} GB, larger than any real export",
            where=str(path),
            fix="Pass the export itself, not a disk image or archive of many files.",
        )
    return data


def _permission_denied(path: Path) -> InputError:
    return InputError(
        "permission denied when reading the file",
        where=str(path),
        fix="Copy it somewhere you can read, or change its permissions.",
    )


def check_regular_file(path: Path) -> None:
    """Refuse, before opening it, a path that is missing, a folder, a link loop or a device.

    Opening a pipe waits forever for a writer and /dev/zero never ends: neither is a file.
    """
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        if path.is_symlink():
            raise InputError(
                f"this is a link (shortcut) to {_link_target(path)}, which does not exist",
                where=str(path),
                fix="Pass the file itself, or fix the link.",
            ) from None
        raise InputError(
            "file not found",
            where=str(path),
            fix="Check the path; put it in quotes if it contains spaces.",
        ) from None
    except PermissionError as error:
        raise _permission_denied(path) from error
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(
                "this is a link (shortcut) that points back to itself (a link loop)",
                where=str(path),
                fix="Pass the real file instead of the link.",
            ) from error
        raise InputError(f"cannot be read ({error.strerror or error})", where=str(path)) from error
    if stat.S_ISDIR(info.st_mode):
        raise InputError(
            "this is a folder, not a file",
            where=str(path),
            fix="Pass the spreadsheet or CSV file inside it.",
        )
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            f"this is {_special_kind(info.st_mode)}, not a file",
            where=str(path),
            fix="Pass a spreadsheet or CSV file saved on disk.",
        )


def _special_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _link_target(path: Path) -> str:
    try:
        return str(path.readlink())
    except OSError:
        return "a missing file"


def open_linkedin_export(path: Path) -> LinkedInExport:
    """Locate Connections.csv (and side files) in an export zip, its folder, or a bare CSV."""
    files = export_files(path)
    if "connections" not in files:
        kind = "folder" if path.is_dir() else "zip"
        hint = _export_zip_hint(path) if path.is_dir() else ""
        raise InputError(
            f"no Connections.csv in this {kind}",
            where=str(path),
            fix=hint
            or "Request LinkedIn's export with 'Connections' selected (or the full archive), "
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
    if kind == "zip":
        contents = zip_kind(data)
        if contents == "archive":
            return _files_in_zip(path, data)
        if contents == "damaged" and not path.name.lower().endswith(SPREADSHEET_SUFFIXES):
            raise InputError(
                "this zip file is damaged or incomplete and cannot be opened",
                where=str(path),
                fix="Download the export from LinkedIn again (the link in LinkedIn's email works "
                "for 72 hours).",
            )
    return {"connections": LoadedFile(path.name, data, str(path))}


def _role_of(name: str) -> str | None:
    lowered = name.lower()
    for role, names in EXPORT_FILES.items():
        if lowered in names:
            return role
    return None


def _walk(folder: Path, links_out: list[Path] | None = None) -> list[Path]:
    """List files up to MAX_DEPTH below a folder, shallowest first, stopping at MAX_ENTRIES.

    Links are followed only to files inside the folder: an export holds none, and one that
    points elsewhere (a crafted zip unpacked by a tool that makes links) is listed in
    `links_out`, never read.
    """
    found: list[Path] = []
    level = [folder]
    seen = 0
    root = os.path.realpath(folder)
    for _ in range(MAX_DEPTH):
        below: list[Path] = []
        for directory in level:
            try:
                entries = sorted(directory.iterdir(), key=lambda p: p.name.lower())
            except OSError:
                continue
            for entry in entries:
                seen += 1
                if seen > MAX_ENTRIES:
                    return found
                if entry.is_symlink() and (
                    entry.is_dir() or not _inside(root, os.path.realpath(entry))
                ):
                    if links_out is not None and not entry.is_dir():
                        links_out.append(entry)
                    continue
                if entry.is_dir():
                    below.append(entry)
                elif entry.is_file():
                    found.append(entry)
        level = below
    return found


def _inside(root: str, target: str) -> bool:
    return os.path.commonpath([root, target]) == root


def _files_in_folder(folder: Path) -> dict[str, LoadedFile]:
    """Find the export files in an unzipped export folder; refuse a folder of several."""
    by_role: dict[str, list[Path]] = {}
    links_out: list[Path] = []
    for candidate in _walk(folder, links_out):
        role = _role_of(candidate.name)
        if role:
            by_role.setdefault(role, []).append(candidate)
    if "connections" not in by_role:
        for link in links_out:
            if _role_of(link.name) == "connections":
                raise InputError(
                    f"{link.relative_to(folder)} is a link to {os.path.realpath(link)}, outside "
                    "this folder, so it was not read",
                    where=str(folder),
                    fix="Pass that file itself with --connections if it is yours.",
                )
    connections = by_role.get("connections", [])
    shallowest = [p for p in connections if len(p.parts) == len(connections[0].parts)]
    if len(shallowest) > 1:
        listed = ", ".join(str(p.relative_to(folder)) for p in shallowest[:4])
        raise InputError(
            f"this folder holds {len(shallowest)} LinkedIn exports ({listed})",
            where=str(folder),
            fix="Pass the export folder you mean, or give --connections once for each.",
        )
    return {role: _load(paths[0]) for role, paths in by_role.items()}


def _load(path: Path) -> LoadedFile:
    """Read one export file from disk."""
    return LoadedFile(path.name, read_bytes(path), str(path))


def _export_zip_hint(folder: Path) -> str:
    """Point at an export zip lying in the folder that was passed instead."""
    zips = [p for p in _walk(folder) if "linkedindataexport" in p.name.lower().replace("_", "")]
    zips = [p for p in zips if p.suffix.lower() == ".zip"]
    if len(zips) == 1:
        return f"This folder holds {zips[0].name}: pass that zip file instead."
    return ""


def _files_in_zip(path: Path, data: bytes, nesting: int = 0) -> dict[str, LoadedFile]:
    """Read the export files from a zip in memory (nothing is extracted to disk).

    Member names ('../../x', '/etc/x') are only ever matched against LinkedIn's file names,
    never used as paths.
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    with archive:
        members: dict[str, zipfile.ZipInfo] = {}
        nested: list[zipfile.ZipInfo] = []
        for info in sorted(archive.infolist(), key=lambda i: (i.filename.count("/"), i.filename)):
            member = PurePosixPath(info.filename)
            if info.is_dir() or len(member.parts) > MAX_DEPTH:
                continue
            if member.suffix.lower() == ".zip" and not member.name.startswith("."):
                nested.append(info)
            role = _role_of(member.name)
            if role and role not in members:
                members[role] = info
        if "connections" not in members and len(nested) == 1 and nesting < MAX_NESTED_ZIPS:
            # A zip of the export zip (some mail and cloud tools wrap downloads again); the
            # inner one is held to the same limits, and is not opened further.
            inner = _read_member(archive, nested[0], path)
            if zip_kind(inner) == "archive":
                return _files_in_zip(Path(f"{path}!{nested[0].filename}"), inner, nesting + 1)
        if "connections" not in members and nested and nesting >= MAX_NESTED_ZIPS:
            raise InputError(
                f"it holds only another zip ('{nested[0].filename}'): zips inside zips are "
                "opened one level deep",
                where=str(path),
                fix="Unzip it and pass the LinkedIn export zip inside, or its Connections.csv.",
            )
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
    check_not_bomb(info, path)
    try:
        with archive.open(info) as handle:
            data = handle.read(MAX_MEMBER_BYTES + 1)
    except ZIP_ERRORS as error:
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


def check_not_bomb(info: zipfile.ZipInfo, path: Path | str) -> None:
    """Refuse a member that says it expands hundreds of times over: a zip bomb, not data.

    Python's zipfile never inflates past the size a member declares, so checking the
    declared sizes before reading is enough.
    """
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > BOMB_BYTES and ratio > BOMB_RATIO:
        raise InputError(
            f"'{info.filename}' would expand from {info.compress_size / 1024**2:,.1f} MB to "
            f"{info.file_size / 1024**2:,.0f} MB ({ratio:,.0f} to 1), which no export does: "
            "this zip is damaged or made to exhaust memory (a zip bomb)",
            where=str(path),
            fix="Download the export from LinkedIn again and pass that zip.",
        )


# What a zip that is no spreadsheet holds, and what to say about it.
_NOT_A_TABLE = {
    "document": (
        "this is a document (Word, PowerPoint or OpenDocument text), not a spreadsheet",
        "Copy the table into a spreadsheet and save it as .xlsx or .csv.",
    ),
    "numbers": (
        "this is an Apple Numbers file",
        "In Numbers choose File > Export To > Excel (or CSV) and pass that file.",
    ),
    "damaged": (
        "this zip file is damaged or incomplete and cannot be opened",
        "Download or copy it again.",
    ),
}


def load_tables(loaded: LoadedFile) -> list[RawTable]:
    """Read a file's tables by what its bytes are, not by what its name claims."""
    kind = sniff_format(loaded.data, loaded.name)
    if kind == "empty":
        raise InputError(
            "the file is empty (0 bytes)",
            where=loaded.origin,
            fix="Export it again from the program it came from.",
        )
    contents = zip_kind(loaded.data) if kind == "zip" else ""
    suffix = PurePosixPath(loaded.name.lower()).suffix
    if contents == "damaged" and suffix in SPREADSHEET_SUFFIXES:
        contents = "spreadsheet"  # let the workbook reader say it is damaged
    if kind == "ole" or contents == "spreadsheet":
        tables = read_spreadsheet_tables(loaded.data, loaded.origin)
        for table in tables:
            table.name = loaded.name
            if suffix in {".csv", ".tsv", ".txt"}:
                table.notes.append("named like a text file but is really a workbook")
        return tables
    if contents in _NOT_A_TABLE:
        message, fix = _NOT_A_TABLE[contents]
        raise InputError(message, where=loaded.origin, fix=fix)
    if kind == "zip":
        raise InputError(
            "this is a zip archive, not a spreadsheet",
            where=loaded.origin,
            fix="Unzip it and pass the spreadsheet inside; a LinkedIn export goes to "
            "--connections.",
        )
    check_not_foreign(loaded.data, loaded.origin)
    table = read_text_table(loaded.data, loaded.origin)
    table.name = loaded.name
    if suffix in SPREADSHEET_SUFFIXES:
        table.notes.append("named like a workbook but is really a text (CSV) file")
    return [table]
