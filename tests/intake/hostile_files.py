"""Builders of hostile and unlucky returned files (the second campaign): each made here, from nothing."""

from __future__ import annotations

import io
import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import cast

from PIL import Image
from pypdf import PdfWriter

from baodao.docgen.render import render_docx
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.form_templates.spec import Record
from baodao.office.xlsx import fill_xlsx

# A Windows zip leaves names in GBK: 李晓燕.docx
GBK_NAME = "李晓燕".encode("gbk") + b".docx"
ESCAPE_NAME = "\x1b[2J\x1b[H已读入 假的.docx"
RTL_NAME = "李\u202e晓\u200b燕"


def docx(out: Path, form_id: str, **values: object) -> Path:
    form = get_form("zz-b1")
    record = cast(Record, {**sample_record(form.spec), **values})
    return render_docx(form.docx, form.spec, record, out, form_id=form_id)


def xlsx(out: Path) -> Path:
    form = get_form("zz-f1")
    assert form.xlsx is not None
    return fill_xlsx(form.xlsx, form.spec, sample_record(form.spec), out)


def rewritten(base: Path, out: Path, edit: dict[str, tuple[bytes, bytes]]) -> Path:
    """``base`` with each named member's first ``old`` replaced by ``new``."""
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename in edit:
                old, new = edit[info.filename]
                assert old in data, (info.filename, old)
                data = data.replace(old, new, 1)
            dst.writestr(info, data)
    return out


def with_symbol(base: Path, out: Path, code: str) -> Path:
    """A w:sym naming ``code`` (D800 is a lone surrogate) in the document's first run."""
    sym = f'<w:r><w:sym w:font="Arial" w:char="{code}"/></w:r>'.encode()
    return rewritten(base, out, {"word/document.xml": (b"<w:r>", sym + b"<w:r>")})


def duplicated_part(base: Path, out: Path) -> Path:
    """``base`` with a second word/document.xml after the first, saying something else."""
    with zipfile.ZipFile(base) as src:
        document = src.read("word/document.xml")
    out.write_bytes(base.read_bytes())
    other = document.replace(b"<w:body>", b"<w:body><w:p><w:r><w:t>X</w:t></w:r></w:p>", 1)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as zf:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name: making one is the point
        zf.writestr("word/document.xml", other)
    return out


def pdf(objects: list[bytes], out: Path) -> Path:
    """A PDF of ``objects`` (object 1 the catalog) with a correct cross-reference table."""
    body = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    out.write_bytes(body)
    return out


def page_pdf(out: Path, content: bytes, media_box: str = "0 0 595 842", flate: bool = False) -> Path:
    stream = zlib.compress(content) if flate else content
    filters = b" /Filter /FlateDecode" if flate else b""
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            f"<< /Type /Page /Parent 2 0 R /MediaBox [{media_box}] /Contents 4 0 R >>".encode(),
            f"<< /Length {len(stream)}".encode() + filters + b" >>\nstream\n" + stream + b"\nendstream",
        ],
        out,
    )


def flate_bomb_pdf(out: Path, inflated_mb: int = 1024) -> Path:
    """About 1 MB on disk; its page content inflates to ``inflated_mb`` MB of spaces."""
    packer = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(packer.compress(chunk) for _ in range(inflated_mb)) + packer.flush()
    return pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream",
        ],
        out,
    )


def nested_content_pdf(out: Path, depth: int = 100_000) -> Path:
    """Page content of ``depth`` nested arrays: a recursive parser runs out of stack."""
    return page_pdf(out, b"[" * depth + b"]" * depth + b" Tj", flate=True)


def encrypted_pdf(out: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt("口令2025")
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def blank_pdf(out: Path, pages: int) -> Path:
    """A PDF of ``pages`` pages with drawings and no text: a vector PDF, not a scan."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    out.write_bytes(buffer.getvalue())
    return out


def png(out: Path, width: int, height: int) -> Path:
    """A one-bit PNG: tiny on disk, ``width`` × ``height`` pixels when decoded."""
    Image.new("1", (width, height), 1).save(out, optimize=True)
    return out


def tiff_with_ifd_loop(out: Path) -> Path:
    """A TIFF whose first directory names itself as the next one: a reader that follows it never ends."""
    entries = [
        (256, 3, 1, 8),  # width
        (257, 3, 1, 8),  # height
        (258, 3, 1, 8),  # bits per sample
        (259, 3, 1, 1),  # no compression
        (262, 3, 1, 1),  # black is zero
        (273, 4, 1, 8 + 2 + 8 * 12 + 4),  # strip offset: after the directory
        (278, 3, 1, 8),  # rows per strip
        (279, 4, 1, 64),  # strip byte count
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value)
    ifd += struct.pack("<I", 8)  # the next directory: this one again
    out.write_bytes(b"II*\x00" + struct.pack("<I", 8) + ifd + bytes(64))
    return out


def named(folder: Path, raw: bytes, data: bytes) -> Path:
    """A file whose name is the bytes ``raw`` (not necessarily UTF-8), as the file system keeps them."""
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), raw)))
    path.write_bytes(data)
    return path
