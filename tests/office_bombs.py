"""Writes hostile Word files, as an attacker would: a part that inflates to far more than it takes, a header that
lies about it, a text of megabytes, entities that expand. Each starts from a real .docx written by python-docx.

    python tests/office_bombs.py OUT.docx MIB [--lying]   # a bomb of MIB mebibytes, to measure an import by hand
"""
from __future__ import annotations

import struct
import sys
import zipfile
from collections.abc import Iterable
from pathlib import Path

from docx import Document

DOCUMENT = "word/document.xml"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body><w:p><w:r><w:t>'.encode()
TAIL = b"</w:t></w:r></w:p></w:body></w:document>"
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
          + b"]>\n<w:document " + W.encode() + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
"""The billion laughs: nine levels of ten entities each, a gigabyte of "lol" from a kilobyte."""


def plain_docx(path: Path) -> Path:
    """Write an ordinary one-paragraph .docx at ``path``."""
    document = Document()
    document.add_paragraph("107年7月至9月各機關列管追蹤表")
    document.save(str(path))
    return path


def with_document(path: Path, chunks: Iterable[bytes]) -> Path:
    """Write at ``path`` a .docx whose word/document.xml is ``chunks``, streamed (never whole in memory)."""
    base = plain_docx(path.with_name(path.stem + "-base.docx"))
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != DOCUMENT:
                target.writestr(member, source.read(member))
        with target.open(DOCUMENT, "w") as stream:  # under 2 GiB: plain headers, no zip64
            for chunk in chunks:
                stream.write(chunk)
    base.unlink()
    return path


def huge_text(size: int, chunk: int = 1 << 20) -> Iterable[bytes]:
    """Return the chunks of a document.xml holding one text of ``size`` bytes."""
    yield HEAD
    for start in range(0, size, chunk):
        yield b"A" * min(chunk, size - start)
    yield TAIL


def lie_about_size(path: Path, name: str = DOCUMENT, declared: int = 1_000) -> Path:
    """Make the headers of ``name`` in the zip at ``path`` declare ``declared`` bytes inflated, whatever it holds."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    encoded = name.encode()
    # The local header: the inflated size at byte 22 (plain headers: the bombs here stay under 2 GiB).
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    # The central directory's entry for the member: the inflated size at byte 24.
    central = data.rfind(b"PK\x01\x02", 0, len(data))
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46: central + 46 + name_length]) == encoded:
            struct.pack_into("<I", data, central + 24, declared)
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    path.write_bytes(bytes(data))
    return path


if __name__ == "__main__":
    out, mib = Path(sys.argv[1]), int(sys.argv[2])
    with_document(out, huge_text(mib << 20))
    if "--lying" in sys.argv:
        lie_about_size(out)
    print(f"{out}: {out.stat().st_size:,} bytes, {DOCUMENT} inflates to {mib} MiB")
