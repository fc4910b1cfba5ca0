"""Office packages (zip) read once and written many times, unchanged members copied as compressed bytes."""

from __future__ import annotations

import io
import os
import shutil
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from baodao.files import atomic_path

_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00: equal content is equal bytes
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_UTF8_FLAG = 0x800
DEFLATE_LEVEL = 6


@dataclass(frozen=True)
class Member:
    """One zip member as stored: its compressed bytes and what the central directory says of them."""

    name: str
    method: int
    crc: int
    size: int
    data: bytes | BinaryIO  # a file, at its start, for members too big to hold in memory
    compressed_size: int = -1

    @property
    def stored_size(self) -> int:
        if isinstance(self.data, bytes):
            return len(self.data)
        return self.compressed_size


def deflated(name: str, content: bytes) -> Member:
    co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    data = co.compress(content) + co.flush()
    return Member(name, zipfile.ZIP_DEFLATED, zlib.crc32(content), len(content), data)


def stored(name: str, content: bytes) -> Member:
    """A member kept as it is: for content already compressed, such as a PNG."""
    return Member(name, zipfile.ZIP_STORED, zlib.crc32(content), len(content), content)


def deflate_stream(name: str, source: BinaryIO, chunk: int = 1 << 20) -> Member:
    """A member made from a large file, compressed chunk by chunk into a temporary file."""
    co = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    spool = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the caller inside the Member)
    crc = size = 0
    while block := source.read(chunk):
        crc, size = zlib.crc32(block, crc), size + len(block)
        spool.write(co.compress(block))
    spool.write(co.flush())
    compressed = spool.tell()
    spool.seek(0)
    return Member(name, zipfile.ZIP_DEFLATED, crc, size, spool, compressed)


class Package:
    """An Office file held in memory: members in order, each ready to be written without recompressing."""

    def __init__(self, members: list[Member]) -> None:
        self.members = members
        self._index = {m.name: i for i, m in enumerate(members)}

    @classmethod
    def open(cls, path: Path) -> Package:
        members = []
        with open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
            for info in zf.infolist():
                fh.seek(info.header_offset)
                header = _LOCAL.unpack(fh.read(_LOCAL.size))
                fh.seek(header[9] + header[10], os.SEEK_CUR)
                data = fh.read(info.compress_size)
                members.append(Member(info.filename, info.compress_type, info.CRC, info.file_size, data))
        return cls(members)

    @property
    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def read(self, name: str) -> bytes:
        m = self.members[self._index[name]]
        assert isinstance(m.data, bytes), "members opened from a package are held in memory"
        return m.data if m.method == zipfile.ZIP_STORED else zlib.decompress(m.data, -15)

    def write(self, out: BinaryIO, replace: Mapping[str, bytes | Member] | None = None) -> None:
        """Write the package to ``out``; ``replace`` gives new content for members, adding unknown names."""
        new = {n: c if isinstance(c, Member) else deflated(n, c) for n, c in (replace or {}).items()}
        chosen = [new.pop(m.name, m) for m in self.members] + list(new.values())
        central = []
        offset = 0
        for m in chosen:
            name = m.name.encode("utf-8")
            flags = 0 if name.isascii() else _UTF8_FLAG
            stored = m.stored_size
            head = (m.method, _DOS_TIME, _DOS_DATE, m.crc, stored, m.size, len(name))
            local = _LOCAL.pack(0x04034B50, 20, flags, *head, 0)
            out.write(local + name)
            if isinstance(m.data, bytes):
                out.write(m.data)
            else:
                shutil.copyfileobj(m.data, out)
            entry = _CENTRAL.pack(0x02014B50, 20, 20, flags, *head, 0, 0, 0, 0, 0o644 << 16, offset)
            central.append(entry + name)
            offset += len(local) + len(name) + stored
        directory = b"".join(central)
        out.write(directory)
        out.write(_END.pack(0x06054B50, 0, 0, len(chosen), len(chosen), len(directory), offset, 0))

    def save(self, path: Path, replace: Mapping[str, bytes | Member] | None = None) -> None:
        """Write to ``path`` atomically: a temporary file beside it, renamed into place when complete."""
        with atomic_path(path) as tmp, tmp.open("wb") as fh:
            self.write(fh, replace)


def rewrite_package(source: Path, out: Path, replacements: Mapping[str, bytes]) -> None:
    """Write ``out`` as ``source`` with ``replacements`` (member name → bytes); other members unchanged."""
    Package.open(source).save(out, replacements)


def write_reproducible(package: bytes, out: Path, overrides: Mapping[str, bytes] | None = None) -> None:
    """Write ``package`` (zip bytes) to ``out`` recompressed with fixed timestamps."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        members = [deflated(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    Package(members).save(out, overrides)
