"""What kind of file a facts file is, by its content (never its name), and the office formats that are refused.

A Trust's office suite saves workbooks in several formats; only the template's
own, ``.xlsx`` (Office Open XML), is read. The others are recognised by what
the file holds and refused with a :class:`~natssips_rules.FactsError` naming
the format and how to save the file as ``.xlsx``, rather than being read as
JSON ("not valid UTF-8 text") or failing inside the zip reader:

* an OLE2 compound file: an Excel 97-2003 workbook (``.xls``), or any
  workbook protected by a password (Office encrypts into the same container);
* a zip holding ``mimetype`` ``application/vnd.oasis.opendocument.spreadsheet``:
  an OpenDocument spreadsheet (``.ods``, LibreOffice's own format);
* a zip whose ``[Content_Types].xml`` declares a macro-enabled workbook
  (``.xlsm``) or which holds ``xl/workbook.bin`` (a binary workbook, ``.xlsb``).

A zip archive that fails its own checks (a bad CRC, a size that does not match
what it holds, a truncated file) is reported as a damaged workbook.
"""

import io
import os
import pathlib
import zipfile
import zlib

from natssips_rules.errors import FactsError, FactsProblem

__all__ = ["DAMAGED_ZIP_ERRORS", "OLE2_MAGIC", "ZIP_MAGIC", "damaged_workbook", "is_workbook_file", "refuse_other_formats"]

#: The first bytes of a zip archive (an .xlsx, .xlsm, .ods, ...).
ZIP_MAGIC = b"PK\x03\x04"
#: The first bytes of an OLE2 compound file (an .xls, or a workbook protected by a password).
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: What the zip reader raises on an archive that fails its own checks.
DAMAGED_ZIP_ERRORS: tuple[type[Exception], ...] = (zipfile.BadZipFile, zlib.error, EOFError)

#: The most bytes of a small member (``mimetype``, ``[Content_Types].xml``) read to recognise the format.
_SMALL_MEMBER = 256 * 1024

_SAVE_AS = "open it in Excel or LibreOffice Calc and save it as 'Excel Workbook (.xlsx)', then give that file"


def is_workbook_file(path: str | os.PathLike[str]) -> bool:
    """Whether the file at ``path`` starts as a workbook does (a zip archive, or an OLE2 compound file).

    A file that cannot be read is not a workbook here: the JSON reader then reports why it cannot be read.
    """
    try:
        with pathlib.Path(path).open("rb") as handle:
            head = handle.read(len(OLE2_MAGIC))
    except (OSError, ValueError):
        return False
    return head.startswith(ZIP_MAGIC) or head.startswith(OLE2_MAGIC)


def damaged_workbook(exc: BaseException, where: str | None) -> FactsError:
    """The error for a workbook whose zip archive fails its own checks (``exc`` from the zip reader)."""
    detail = str(exc) or type(exc).__name__
    return FactsError(
        [
            FactsProblem(
                "",
                f"the workbook is damaged (its zip archive fails its own check: {detail[:200]}); open it in Excel or "
                "LibreOffice Calc and save it again as 'Excel Workbook (.xlsx)', or use a copy that opens",
            )
        ],
        source=where,
    )


def refuse_other_formats(data: bytes, where: str | None) -> None:
    """Raise ``FactsError`` naming the format when ``data`` is a workbook format other than ``.xlsx``."""
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            kind = "a workbook protected by a password (Office keeps it encrypted, so it cannot be read)"
            fix = "open it in Excel or LibreOffice Calc, remove the password, and save it as 'Excel Workbook (.xlsx)'"
        else:
            kind = "an Excel 97-2003 workbook (.xls), an older format than the template's"
            fix = _SAVE_AS
        raise FactsError([FactsProblem("", f"the file is {kind}; {fix}")], source=where)
    if not data.startswith(ZIP_MAGIC):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            mimetype = _small(archive, "mimetype") if "mimetype" in names else b""
            types = _small(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
    except DAMAGED_ZIP_ERRORS as exc:
        if isinstance(exc, zipfile.BadZipFile) and "not a zip file" in str(exc).lower():
            return  # the workbook reader says it is not a zip archive
        raise damaged_workbook(exc, where) from None
    what: str | None = None
    how = ""
    if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
        what = "an OpenDocument spreadsheet (.ods)"
        how = (
            "open it in LibreOffice Calc and use File > Save As with the file type 'Excel 2007-365 (.xlsx)', then give that file"
        )
    elif mimetype.startswith(b"application/vnd.oasis.opendocument."):
        what = f"an OpenDocument file that is not a spreadsheet ({mimetype.decode('ascii', 'replace')[:80]})"
        how = "give the facts template workbook (natssips-rules template FILE.xlsx), filled in"
    elif b"macroEnabled" in types:
        what = "a macro-enabled workbook (.xlsm); macros are never run or kept"
        how = _SAVE_AS
    elif "xl/workbook.bin" in names:
        what = "an Excel binary workbook (.xlsb)"
        how = _SAVE_AS
    elif "word/document.xml" in names:
        what = "a Word document, not a workbook"
        how = "give the facts template workbook (natssips-rules template FILE.xlsx), filled in"
    if what is not None:
        raise FactsError([FactsProblem("", f"the file is {what}; only .xlsx workbooks are read: {how}")], source=where)


def _small(archive: zipfile.ZipFile, name: str) -> bytes:
    """A small member of ``archive`` (at most :data:`_SMALL_MEMBER` bytes of it)."""
    with archive.open(name) as member:
        return member.read(_SMALL_MEMBER)
