"""Upload limits and malicious spreadsheets: built here with openpyxl and zipfile, then checked."""

from __future__ import annotations

import http.server
import io
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from market_oversight import audit
from market_oversight.config import load_settings
from market_oversight.errors import PermissionDenied, UploadRefused
from market_oversight.ingest.cqc_bulk import read_bulk_table
from market_oversight.ingest.limits import InputLimits
from market_oversight.roles import Role, User
from market_oversight.uploads import MB, UploadLimits, check_upload, receive_upload

LIMITS = UploadLimits.from_settings(load_settings())
OFFICER = User("dana@council.example", "Dana", Role.DATA_OFFICER)
VIEWER = User("val@council.example", "Val", Role.VIEWER)


def _xlsx(rows: list[list[object]], *, hyperlink: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if hyperlink:
        sheet["A1"].hyperlink = hyperlink
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_parts(xlsx: bytes, extra: dict[str, bytes], *, replace: dict[str, bytes] | None = None,
                compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    replace = replace or {}
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in extra.items():
            dst.writestr(name, data)
    return out.getvalue()


SAFE = _xlsx([["Location ID", "Location Name"], ["1-1", "Rose House"]])


def test_a_plain_csv_and_xlsx_pass_and_name_their_type() -> None:
    assert check_upload("returns_2026-10.csv", b"location_id,beds\n1-1,20\n", LIMITS) == "csv"
    assert check_upload("register.xlsx", SAFE, LIMITS) == "xlsx"
    # A cell's web link is harmless: nothing follows it.
    assert check_upload("links.xlsx", _xlsx([["Location ID"]], hyperlink="https://example.org/"),
                        LIMITS) == "xlsx"


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("tool.exe", b"MZ\x90\x00", "type '.exe' is not taken"),
    ("old.xls", b"\xd0\xcf\x11\xe0", "type '.xls' is not taken"),
    ("noext", b"a,b\n", "type '.' is not taken"),
    ("../../etc/passwd.csv", b"a\n", "file name"),
    (".hidden.csv", b"a\n", "file name"),
    ("empty.csv", b"", "empty"),
    ("binary.csv", b"a,b\n\x00\x01\x02", "binary"),
    ("zip.csv", SAFE, "binary"),
    ("notzip.xlsx", b"Location ID,Name\n", "not a spreadsheet"),
    ("damaged.xlsx", SAFE[:400], "damaged"),
])
def test_wrong_names_types_and_contents_are_refused(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(UploadRefused, match=reason.replace(".", r"\.").replace("(", r"\(")) as exc:
        check_upload(name, data, LIMITS)
    assert exc.value.name == name


def test_a_file_over_the_size_limit_is_refused() -> None:
    small = UploadLimits(1 * MB, ("csv",), 10 * MB, 100, 100)
    with pytest.raises(UploadRefused, match="the limit is 1 MB"):
        check_upload("big.csv", b"x" * (MB + 1), small)


def test_a_zip_bomb_is_refused_by_its_compression_ratio_without_expanding_it() -> None:
    bomb = _with_parts(SAFE, {"xl/media/padding.bin": bytes(64 * MB)})
    assert len(bomb) < MB  # small on the wire
    with pytest.raises(UploadRefused, match="zip bomb"):
        check_upload("bomb.xlsx", bomb, LIMITS)


def test_a_spreadsheet_expanding_past_the_limit_is_refused() -> None:
    tight = UploadLimits(50 * MB, ("xlsx",), 2 * MB, 1e9, 100)
    big = _with_parts(SAFE, {"xl/media/padding.bin": bytes(3 * MB)})
    with pytest.raises(UploadRefused, match="would expand to 3 MB"):
        check_upload("big.xlsx", big, tight)


def test_links_to_other_workbooks_are_refused() -> None:
    link = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.'
            b'org/spreadsheetml/2006/main"><externalBook r:id="rId1"/></externalLink>')
    rels = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
            b'.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
            b'formats.org/officeDocument/2006/relationships/externalLinkPath" '
            b'Target="file:///C:/secret/other.xlsx" TargetMode="External"/></Relationships>')
    linked = _with_parts(SAFE, {"xl/externalLinks/externalLink1.xml": link,
                                "xl/externalLinks/_rels/externalLink1.xml.rels": rels})
    with pytest.raises(UploadRefused, match="links to another workbook"):
        check_upload("linked.xlsx", linked, LIMITS)


def test_an_outside_object_in_a_sheet_is_refused() -> None:
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            b'relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships/oleObject" Target="\\\\evil\\share\\x.bin" '
            b"TargetMode='External'/></Relationships>")
    ole = _with_parts(SAFE, {"xl/worksheets/_rels/sheet1.xml.rels": rels})
    with pytest.raises(UploadRefused, match="outside file or address"):
        check_upload("ole.xlsx", ole, LIMITS)


def test_macros_and_xml_entities_are_refused() -> None:
    with pytest.raises(UploadRefused, match="macros"):
        check_upload("macro.xlsx", _with_parts(SAFE, {"xl/vbaProject.bin": b"\x00" * 100}), LIMITS)
    src = zipfile.ZipFile(io.BytesIO(SAFE))
    sheet = src.read("xl/worksheets/sheet1.xml")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
              b'"&lol;&lol;&lol;&lol;">]>' + sheet.split(b"?>", 1)[-1])
    with pytest.raises(UploadRefused, match="declares XML entities"):
        check_upload("laughs.xlsx", _with_parts(SAFE, {}, replace={"xl/worksheets/sheet1.xml": laughs}),
                     LIMITS)


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"2")

    def log_message(self, *args: object) -> None:
        pass


def test_formulas_are_read_as_saved_never_evaluated_or_fetched(tmp_path: Path) -> None:
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/leak"
        data = _xlsx([["Location ID", "Location Name", "Beds"],
                      ["1-1", f'=WEBSERVICE("{url}")', "=1+1"],
                      ["1-2", '=HYPERLINK("http://127.0.0.1:1/","x")', "=cmd|' /C calc'!A0"]])
        assert check_upload("formulas.xlsx", data, LIMITS) == "xlsx"
        path = tmp_path / "formulas.xlsx"
        path.write_bytes(data)
        table = read_bulk_table(path, InputLimits.from_settings(load_settings()))
    finally:
        server.shutdown()
    assert _Recorder.hits == []
    values = [cell for row in table.rows for cell in row]
    assert 2 not in values and "2" not in values  # =1+1 has no saved value and was not computed


def test_receive_upload_keeps_the_file_and_audits_it(db_path: Path) -> None:
    saved = receive_upload(db_path, OFFICER, "register.xlsx", SAFE, LIMITS)
    assert saved.read_bytes() == SAFE
    ((_, _, actor, action, target, detail),) = audit.recent(db_path)
    assert (actor, action, target) == (OFFICER.email, audit.UPLOAD, "register.xlsx")
    assert '"type": "xlsx"' in detail


def test_a_refused_upload_is_audited_and_nothing_is_kept(db_path: Path) -> None:
    with pytest.raises(UploadRefused):
        receive_upload(db_path, OFFICER, "tool.exe", b"MZ", LIMITS)
    ((_, _, actor, action, target, _),) = audit.recent(db_path)
    assert (actor, action, target) == (OFFICER.email, audit.UPLOAD_REFUSED, "tool.exe")
    assert not any(db_path.parent.glob("*.uploads/*"))


def test_a_viewer_cannot_upload(db_path: Path) -> None:
    with pytest.raises(PermissionDenied, match="is a viewer and may not upload"):
        receive_upload(db_path, VIEWER, "register.xlsx", SAFE, LIMITS)
    assert not db_path.with_name(db_path.stem + ".uploads").exists()
