"""SHA-256 of files and of the package's own code. Standard library only, so a build that
has nothing to do stays fast."""

from __future__ import annotations

import hashlib
from pathlib import Path

from effectmodel.inputs.formats import content_sha256, split_sheet

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the effectmodel package


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes [hex]; of a workbook's sheet (``book.xlsx#sheet``), of the
    workbook's bytes and the sheet's name."""
    file, sheet = split_sheet(path)
    return content_sha256(file.read_bytes(), file, sheet)


def code_files() -> list[Path]:
    """The package's source files and templates, sorted."""
    return sorted(p for p in PACKAGE_DIR.rglob("*") if p.is_file()
                  and p.suffix in (".py", ".j2", ".json", ".css")
                  and "__pycache__" not in p.parts)


def code_file_hashes() -> dict[str, str]:
    """Each source file of the package (path inside the package) -> the first 16 hex digits
    of its SHA-256: what a 'What changed' section names when the code changed."""
    return {p.relative_to(PACKAGE_DIR).as_posix(): file_sha256(p)[:16] for p in code_files()}


def code_hash() -> str:
    """SHA-256 over the package's source files and templates [hex]."""
    h = hashlib.sha256()
    for p in code_files():
        h.update(p.relative_to(PACKAGE_DIR).as_posix().encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()
