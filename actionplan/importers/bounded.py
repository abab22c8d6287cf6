"""Limits on what an importer reads, checked before it is read whole: the file, each member of an office document's
zip and its XML. Word's .docx and OpenDocument's .odt are both zips of XML, so every importer of either opens its
file here (issue 26): a 1 MiB file can inflate to gigabytes, and its XML can declare entities that expand again.

Each limit is far above what real tables need (measured on the 2018 Q3 tracking table, seed 001, as a .docx) and far
below what would exhaust the machine; past one, the import stops with a message saying which, and reads no more.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..base.errors import Problems, bi
from ..base.untrusted import TooLarge, read_limited

_CHUNK = 1 << 16
_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """How much an importer reads of one input file."""

    file: int = 16 << 20
    """Bytes of the file as given: 16 MiB (the seed table as .docx is 58,436 bytes; as text, 58,809)."""
    member: int = 16 << 20
    """Bytes one member of a zip may inflate to, whatever its header declares: 16 MiB (the largest of the seed's
    .docx, word/stylesWithEffects.xml, is 438,131; its document.xml 107,910)."""
    total: int = 64 << 20
    """Bytes all members together may inflate to: 64 MiB (the seed's: 932,522)."""
    members: int = 1_000
    """Members of a zip: the seed's .docx has 17."""
    text_run: int = 1 << 20
    """Bytes of XML between two tags (one text, or one tag with its attributes): 1 MiB (the seed's longest is
    1,180). lxml itself stops at 10,000,000 with a traceback; this stops well before, with a message."""


LIMITS = Limits()


def read_input(path: Path, problems: Problems, limits: Limits = LIMITS) -> bytes | None:
    """Return the bytes of an input file, or None after reporting it is larger than ``limits.file`` (found before
    reading it) or cannot be read."""
    try:
        # Resolved: the file is the editor's own, given on the command line, and a link to it was theirs to make.
        return read_limited(path.resolve(), limits.file)
    except TooLarge as err:
        problems.add(path, 0, bi(f"the file is {err.size:,} bytes, more than the {err.limit:,} bytes an import reads",
                                 f"檔案有 {err.size:,} 位元組，超過匯入上限 {err.limit:,} 位元組"),
                     _SIZE_HINT, code="E-IMPORT-SIZE")
    except OSError as err:
        problems.add(path, 0, bi(f"the file cannot be read ({err.strerror or err})", f"無法讀取檔案（{err.strerror or err}）"),
                     bi("check the path and that the file is not open elsewhere", "請確認路徑，以及檔案未被其他程式鎖定"),
                     code="E-IMPORT-READ")
    return None


_SIZE_HINT = bi("check that this is the tracking table; save it again without pictures, or export the table as text",
                "請確認是否為列管追蹤表；可刪除圖片後重新儲存，或將表格匯出為文字檔")


def check_office_zip(data: bytes, path: Path, required: tuple[str, ...], problems: Problems,
                     limits: Limits = LIMITS) -> bool:
    """Return whether ``data`` is a zip whose every member inflates within ``limits`` (read in chunks, stopping past
    the limit: a header may lie), whose XML has no DTD and no text longer than ``limits.text_run``, and which holds
    the ``required`` members; report the first thing wrong otherwise."""
    def refuse(message: str, hint: str, code: str) -> bool:
        problems.add(path, 0, message, hint, code=code)
        return False

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as err:
        return refuse(bi(f"not a Word or OpenDocument file: not a zip ({err})", f"不是 Word 或 OpenDocument 檔：不是 zip 壓縮檔（{err}）"),
                      bi("save it again from Word as .docx, or export the table as text",
                         "請在 Word 重新另存為 .docx，或將表格匯出為文字檔"), "E-IMPORT-ZIP")
    with archive:
        members = archive.infolist()
        if len(members) > limits.members:
            return refuse(bi(f"the file holds {len(members):,} parts, more than the {limits.members:,} an import reads",
                             f"檔案含 {len(members):,} 個部分，超過匯入上限 {limits.members:,} 個"), _SIZE_HINT, "E-IMPORT-SIZE")
        names = {member.filename for member in members}
        missing = [name for name in required if name not in names]
        if missing:
            return refuse(bi(f"the file lacks its part {missing[0]}: it is damaged, or not this kind of document",
                             f"檔案缺少 {missing[0]}：檔案已損壞，或不是這類文件"),
                          bi("open it in Word and save it again as .docx", "請以 Word 開啟後重新另存為 .docx"), "E-IMPORT-ZIP")
        total = 0
        for member in members:
            if member.file_size > limits.member:  # the declared size: refused before inflating a byte
                return _too_large(member.filename, member.file_size, limits.member, path, problems)
            try:
                inflated = _inflate(archive, member, limits, path, problems)
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError,
                    RuntimeError, zlib.error) as err:
                return refuse(bi(f"the part {member.filename} cannot be unpacked ({err}): the file is damaged",
                                 f"無法解開 {member.filename}（{err}）：檔案已損壞"),
                              bi("open it in Word and save it again as .docx", "請以 Word 開啟後重新另存為 .docx"),
                              "E-IMPORT-ZIP")
            if inflated is None:
                return False
            total += inflated
            if total > limits.total:
                return refuse(bi(f"the parts of the file unpack to more than {limits.total:,} bytes",
                                 f"檔案解壓縮後超過 {limits.total:,} 位元組"), _SIZE_HINT, "E-IMPORT-SIZE")
    return True


def _too_large(name: str, size: int, limit: int, path: Path, problems: Problems) -> bool:
    problems.add(path, 0, bi(f"the part {name} unpacks to {size:,} bytes or more, more than the {limit:,} an import reads",
                             f"{name} 解壓縮後達 {size:,} 位元組以上，超過匯入上限 {limit:,} 位元組"),
                 _SIZE_HINT, code="E-IMPORT-SIZE")
    return False


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits, path: Path,
             problems: Problems) -> int | None:
    """Return how many bytes ``member`` inflates to, read in chunks and never past ``limits.member``; check its XML
    on the way. None after reporting what is wrong."""
    is_xml = member.filename.endswith((".xml", ".rels"))
    size = 0
    tail = b""  # the end of the last chunk: a DTD or a long text may straddle two
    run = 0  # bytes since the last < or >, carried across chunks
    with archive.open(member) as stream:
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > limits.member:
                _too_large(member.filename, size, limits.member, path, problems)
                return None
            if not is_xml:
                continue
            if _DTD.search(tail + chunk):
                problems.add(path, 0, bi(f"the part {member.filename} declares a DTD or entities, which Word never writes",
                                         f"{member.filename} 含有 DTD 或實體宣告，Word 不會產生這種內容"),
                             bi("open it in Word and save it again as .docx", "請以 Word 開啟後重新另存為 .docx"),
                             code="E-IMPORT-XML")
                return None
            run = _longest_run(chunk, run, limits.text_run)
            if run > limits.text_run:
                problems.add(path, 0, bi(f"the part {member.filename} has a text or tag longer than {limits.text_run:,} bytes",
                                         f"{member.filename} 有超過 {limits.text_run:,} 位元組的文字或標記"),
                             bi("check that this is the tracking table; no cell of a real table is this long",
                                "請確認是否為列管追蹤表；真實表格的儲存格不會這麼長"), code="E-IMPORT-XML")
                return None
            tail = chunk[-16:]
    return size


def _longest_run(chunk: bytes, run: int, limit: int) -> int:
    """Return the length of the run without < or > that ends ``chunk``, given the ``run`` before it, or ``limit`` + 1
    as soon as a run is longer than ``limit``. A few searches a chunk, not a step a tag."""
    first = min((i for i in (chunk.find(b"<"), chunk.find(b">")) if i >= 0), default=-1)
    if first < 0:
        return run + len(chunk)
    if run + first > limit:
        return limit + 1
    if len(chunk) > limit and re.search(rb"[^<>]{%d}" % (limit + 1), chunk):
        return limit + 1
    return len(chunk) - max(chunk.rfind(b"<"), chunk.rfind(b">")) - 1
