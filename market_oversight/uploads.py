"""What the app accepts as an upload: one check used by the upload page before anything is read.

Limits come from `[uploads]` in the settings. A spreadsheet (XLSX, ODS) is a zip of XML parts, so it
is opened here as a zip, never executed: refused when it would expand too far (a zip bomb), holds
macros or links to other workbooks or files, or declares XML entities. Formulas are not refused:
our readers take the value the spreadsheet saved and never evaluate a formula (docs/access.md).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePath

from market_oversight import audit, store
from market_oversight.config import Settings
from market_oversight.errors import UploadRefused
from market_oversight.ingest.limits import over_limit, zip_problem
from market_oversight.paths import uploads_dir
from market_oversight.roles import Permission, User, require

MB = 1024 * 1024
_SAFE_NAME = re.compile(r"^[\w .()\-]{1,200}$")
_ZIP_MAGIC = b"PK\x03\x04"
_RELATIONSHIP = re.compile(rb"<Relationship\b[^>]*>", re.IGNORECASE)
_EXTERNAL = re.compile(rb'TargetMode\s*=\s*["\']External["\']', re.IGNORECASE)
_HYPERLINK = re.compile(rb'Type\s*=\s*["\'][^"\']*/hyperlink["\']', re.IGNORECASE)
_XML_DECLS = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_MACRO_PARTS = ("vbaproject.bin", "basic/", "scripts/")
_XML_SCAN_BYTES = 8 * MB   # the XML parts we scan for links and entities, read in full up to this


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int
    allowed_types: tuple[str, ...]
    max_expanded_bytes: int
    max_compression_ratio: float
    max_parts: int

    @classmethod
    def from_settings(cls, settings: Settings) -> UploadLimits:
        s = settings.uploads
        return cls(max_bytes=int(s.max_megabytes * MB), allowed_types=s.allowed_types,
                   max_expanded_bytes=int(s.max_expanded_megabytes * MB),
                   max_compression_ratio=s.max_compression_ratio, max_parts=s.max_parts)


def check_upload(name: str, data: bytes, limits: UploadLimits) -> str:
    """Return the file's type (`csv`, `xlsx`, `ods`) or raise UploadRefused naming the reason."""
    base = PurePath(name.replace("\\", "/")).name
    if base != name or not _SAFE_NAME.match(name) or name.startswith("."):
        raise UploadRefused(name, "the file name may hold only letters, digits, spaces and . _ - ( )")
    kind = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    if kind not in limits.allowed_types:
        raise UploadRefused(name, f"type '.{kind}' is not taken; upload one of "
                                  f"{', '.join('.' + t for t in limits.allowed_types)}")
    if not data:
        raise UploadRefused(name, "the file is empty")
    if len(data) > limits.max_bytes:
        raise UploadRefused(name, f"the file is {len(data) / MB:.1f} MB; the limit is "
                                  f"{limits.max_bytes / MB:.0f} MB")
    if kind == "csv":
        _check_text(name, data)
    else:
        _check_spreadsheet(name, data, limits)
    return kind


def _check_text(name: str, data: bytes) -> None:
    if data.startswith(_ZIP_MAGIC) or b"\x00" in data[:65536]:
        raise UploadRefused(name, "a .csv file must be text, but this one is binary")


def _check_spreadsheet(name: str, data: bytes, limits: UploadLimits) -> None:
    if not data.startswith(_ZIP_MAGIC):
        raise UploadRefused(name, "it is not a spreadsheet (an XLSX or ODS file is a zip archive)")
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UploadRefused(name, f"the spreadsheet is damaged ({exc})") from None
    if len(parts) > limits.max_parts:
        raise UploadRefused(name, f"the spreadsheet holds {len(parts)} parts; the limit is {limits.max_parts}")
    problem = zip_problem(parts, limits.max_expanded_bytes, limits.max_compression_ratio)
    if problem:
        raise UploadRefused(name, over_limit(*problem, section="uploads"))
    for p in parts:
        lower = p.filename.lower()
        if any(m in lower for m in _MACRO_PARTS):
            raise UploadRefused(name, f"the spreadsheet holds macros ({p.filename})")
        if lower.startswith("xl/externallinks/"):
            raise UploadRefused(name, "the spreadsheet links to another workbook; save it with values only")
        if lower.endswith((".xml", ".rels")):
            _check_xml_part(name, book, p)


def _check_xml_part(name: str, book: zipfile.ZipFile, part: zipfile.ZipInfo) -> None:
    try:
        with book.open(part) as f:
            head = f.read(_XML_SCAN_BYTES)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:  # damaged or encrypted
        raise UploadRefused(name, f"part {part.filename} cannot be read ({exc})") from None
    if _XML_DECLS.search(head):
        raise UploadRefused(name, f"part {part.filename} declares XML entities, which spreadsheets "
                                  "never need")
    # A cell's web link is harmless (nothing reads it); any other outside target is a link to a
    # workbook, OLE object or template that a spreadsheet program would fetch.
    if part.filename.lower().endswith(".rels") and any(
            _EXTERNAL.search(rel) and not _HYPERLINK.search(rel) for rel in _RELATIONSHIP.findall(head)):
        raise UploadRefused(name, f"the spreadsheet links to an outside file or address ({part.filename}); "
                                  "save it with values only")


def receive_upload(db: Path, user: User, name: str, data: bytes, limits: UploadLimits) -> Path:
    """The upload page's one call: check the user may upload, check the file, keep it beside the
    warehouse and write the audit row. A refused file is audited too, then the refusal re-raised.
    Returns the saved file, for the page to hand to the importer."""
    require(user, Permission.UPLOAD)
    digest = hashlib.sha256(data).hexdigest()
    try:
        kind = check_upload(name, data, limits)
    except UploadRefused as exc:
        audit.record_event(db, user.email, audit.UPLOAD_REFUSED, name,
                           {"bytes": len(data), "sha256": digest, "reason": exc.reason})
        raise
    saved = store.write_whole(uploads_dir(db) / f"{datetime.now():%Y%m%dT%H%M%S}-{digest[:12]}-{name}", data,
                              "the file was not kept and nothing was loaded")
    audit.record_event(db, user.email, audit.UPLOAD, name,
                       {"bytes": len(data), "sha256": digest, "type": kind, "saved_as": saved.name})
    return saved
