"""The datasets' files: CSV as Excel and RFC 4180 read it, JSON, and ODS (ODF-CNS15251), each the same bytes from the
same rows."""
from __future__ import annotations

import csv
import functools
import io
import json
import re
import zipfile
from xml.sax.saxutils import escape
from collections.abc import Iterable
from datetime import date, datetime

from .tables import Field, Value

BOM = "\ufeff"
"""Excel takes a CSV without it for the system's code page (Big5 on a Taiwanese Windows) and garbles the Chinese."""
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Every member of an ODS carries this time (the earliest a zip can hold), whenever it was written."""


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value.isoformat() if isinstance(value, date) else str(value)


_record = io.StringIO()
_records = csv.writer(_record, lineterminator="\r\n")
_json = json.JSONEncoder(ensure_ascii=False)


def csv_record(fields: tuple[Field, ...], row: tuple[Value, ...]) -> str:
    """Return a row as a CSV record, with its CRLF."""
    _record.seek(0)
    _record.truncate()
    _records.writerow([_cell(value) for value in row])
    return _record.getvalue()


def json_object(fields: tuple[Field, ...], row: tuple[Value, ...]) -> str:
    """Return a row as a JSON object keyed by the fields' names; dates as ISO 8601."""
    values = (value.isoformat() if isinstance(value, date) else value for value in row)
    return _json.encode(dict(zip([f.name for f in fields], values, strict=True)))


def ods_row(fields: tuple[Field, ...], row: tuple[Value, ...]) -> str:
    """Return a row as an ODS table row."""
    return _row(row)


ENCODERS = {"csv": csv_record, "json": json_object, "ods": ods_row}
"""How each format writes one row."""


def csv_document(fields: tuple[Field, ...], records: Iterable[str]) -> bytes:
    """Return CSV records (``csv_record``) as CSV: UTF-8 with a byte-order mark, a header of the fields' names, CRLF
    after each record (a line break inside a quoted text stays as the content writes it)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\r\n").writerow(field.name for field in fields)
    return (BOM + header.getvalue() + "".join(records)).encode("utf-8")


def json_document(objects: Iterable[str]) -> bytes:
    """Return JSON objects (``json_object``) as a JSON array, one row a line."""
    lines = list(objects)
    return ("[\n" + ",\n".join(lines) + "\n]\n").encode("utf-8") if lines else b"[]\n"


def csv_bytes(fields: tuple[Field, ...], rows: Iterable[tuple[Value, ...]]) -> bytes:
    """Return the rows as CSV (``csv_document``)."""
    return csv_document(fields, (csv_record(fields, row) for row in rows))


def json_bytes(fields: tuple[Field, ...], rows: Iterable[tuple[Value, ...]]) -> bytes:
    """Return the rows as JSON (``json_document``)."""
    return json_document(json_object(fields, row) for row in rows)


def ods_bytes(name: str, title: str, fields: tuple[Field, ...], rows: Iterable[tuple[Value, ...]], updated: date,
              language: str = "zh-TW") -> bytes:
    """Return the rows as an OpenDocument spreadsheet (``ods_document``)."""
    return ods_document(name, title, fields, [_row(row) for row in rows], updated, language)


def ods_document(name: str, title: str, fields: tuple[Field, ...], rows: Iterable[str], updated: date,
                 language: str = "zh-TW") -> bytes:
    """Return table rows (``ods_row``) as an OpenDocument spreadsheet of one sheet, ``name``: a header row of the fields' names,
    then the rows, dates and numbers as typed cells. Its metadata carries ``updated`` as the document's dates and
    no time of its making; the zip's members are stored with a fixed time, in a fixed order."""
    # The table goes into content.xml as text: odfdo's cells, and lxml moving a parsed table into the document, take
    # seconds per thousand rows (half a minute for an archive of 2,000 entries); writing it takes a fraction of one.
    lines = [f'<table:table table:name="{_attribute(name)}">',
             f'<table:table-column table:number-columns-repeated="{len(fields)}"/>',
             _row([field.name for field in fields])]
    lines += rows
    lines.append("</table:table>")
    return _fixed_zip(_blank(title, updated, language), "".join(lines).encode("utf-8"))


@functools.lru_cache(maxsize=32)
def _blank(title: str, updated: date, language: str) -> bytes:
    """Return odfdo's empty spreadsheet with the metadata: made once for every dataset made again with the same."""
    from odfdo import Document  # only a build that writes data needs it

    document = Document("spreadsheet")
    document.body.clear()
    meta = document.meta
    stamp = datetime(updated.year, updated.month, updated.day)
    meta.set_title(title)
    meta.set_language(language)
    meta.set_creation_date(stamp)
    meta.set_modification_date(stamp)
    meta.set_generator("actionplan")
    raw = io.BytesIO()
    document.save(raw)
    return raw.getvalue()


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML cannot hold. The content's checks refuse them, but the open-data page's sizes are worked out
before the content is checked: there they stand as U+FFFD, so that a check reports them instead of failing."""
_SPACES = re.compile(r"^ +|(?<= ) +")
_MARKED = re.compile("[\x00-\x1f\ufffe\uffff]|^ |  ")
"""What in a text needs more than escaping: a control character (a line break, a tab), or a space ODF collapses."""
"""Spaces ODF would collapse: those opening a line, and every one after the first of a run."""


def _attribute(text: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", text), {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"})


def _paragraph(text: str) -> str:
    """Return a text as the content of a ``text:p``: line breaks, tabs and runs of spaces kept as ODF marks them."""
    if not _MARKED.search(text):  # most cells: one line, no run of spaces (a third of the time of the whole ODS)
        return escape(text)
    lines = []
    for line in escape(_NOT_XML.sub("\ufffd", text), {"\r": "&#13;"}).split("\n"):
        line = _SPACES.sub(lambda run: f'<text:s text:c="{len(run.group())}"/>', line)
        lines.append(line.replace("\t", "<text:tab/>"))
    return "<text:line-break/>".join(lines)


def _row(values: Iterable[Value]) -> str:
    """Return a table row of typed cells: text, number, date or true/false; an empty cell where there is no value."""
    cells = []
    for value in values:
        if value is None:
            cells.append("<table:table-cell/>")
            continue
        if isinstance(value, bool):
            kind, attributes, shown = "boolean", f'office:boolean-value="{str(value).lower()}"', str(value).lower()
        elif isinstance(value, date):
            kind, attributes, shown = "date", f'office:date-value="{value.isoformat()}"', value.isoformat()
        elif isinstance(value, int):
            kind, attributes, shown = "float", f'office:value="{value}"', str(value)
        else:
            kind, attributes, shown = "string", "", _paragraph(value)
        cells.append(f'<table:table-cell office:value-type="{kind}" calcext:value-type="{kind}"'
                     f'{" " + attributes if attributes else ""}><text:p>{shown}</text:p></table:table-cell>')
    return "<table:table-row>" + "".join(cells) + "</table:table-row>"


_LEFT_OUT = ("Thumbnails/", "Configurations2/")
"""What odfdo's blank spreadsheet carries of the office suite it was made with: a picture of an empty sheet and empty
toolbar settings, which would misrepresent the data or say nothing."""


def _fixed_zip(data: bytes, table: bytes) -> bytes:
    """Return the ODS with ``table`` in its (empty) spreadsheet, each member's time fixed, the template's leftovers
    out, ``mimetype`` first and stored."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = [info.filename for info in source.infolist() if not info.filename.startswith(_LEFT_OUT)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ["mimetype", *sorted(n for n in names if n != "mimetype")]:
            content = source.read(name)
            if name == "META-INF/manifest.xml":
                content = _without_left_out(content)
            elif name == "content.xml":
                content = _with_table(content, table)
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            # The table is compressed fast: the outcomes' ODS of a twenty-year archive, made again after every edit of
            # an entry, takes 0.4 s so against 0.9 s at zlib's default, for a file a quarter larger.
            level = None if name == "mimetype" else 1 if name == "content.xml" else 6
            target.writestr(info, content, compresslevel=level)
    return out.getvalue()


def _with_table(content: bytes, table: bytes) -> bytes:
    """Return content.xml with the table as the spreadsheet's content."""
    if b"<office:spreadsheet/>" in content:
        return content.replace(b"<office:spreadsheet/>", b"<office:spreadsheet>" + table + b"</office:spreadsheet>", 1)
    if content.count(b"</office:spreadsheet>") != 1:
        raise ValueError("odfdo's blank spreadsheet has no single spreadsheet element to put the table in")
    return content.replace(b"</office:spreadsheet>", table + b"</office:spreadsheet>", 1)


def _without_left_out(manifest: bytes) -> bytes:
    """Return the manifest without the entries of the members left out."""
    from lxml import etree

    root = etree.fromstring(manifest)
    ns = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
    for entry in list(root):
        if entry.get(f"{{{ns}}}full-path", "").startswith(_LEFT_OUT):
            root.remove(entry)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
