"""The one exception tree every baodao layer raises; messages are written for clerks, in Chinese."""

from __future__ import annotations

import errno
from pathlib import Path


class BaodaoError(Exception):
    """Base of every error baodao raises on purpose; str() is the message shown to the user."""


class SpecError(BaodaoError):
    """A form spec (spec.yaml) is missing, malformed or contradicts itself."""


class UnknownFormError(BaodaoError):
    """A form key names no form in the catalog."""


class TemplateError(BaodaoError):
    """A DOCX/XLSX template cannot be read, checked or rendered."""


class RenderError(BaodaoError):
    """A record could not be turned into a filled form."""


class ConversionError(BaodaoError):
    """LibreOffice could not turn a document into PDF."""


class DataError(BaodaoError):
    """Input data (a roster, a notice file) cannot be read or does not fit its form."""


class OutputExistsError(BaodaoError):
    """An output would overwrite a file the user already has."""


class StorageError(BaodaoError):
    """The database cannot be opened, migrated or written."""


class PolicyError(BaodaoError):
    """A policy profile is missing or does not fit its schema."""


class WriteError(BaodaoError):
    """An output could not be written (disk full, no permission); nothing half-written is left."""


# Why a write failed, for the reasons a clerk can do something about.
WRITE_FAILURES = {
    errno.ENOSPC: "磁盘已满，请腾出空间后重试",
    errno.EDQUOT: "磁盘配额已用完，请腾出空间后重试",
    errno.EROFS: "磁盘是只读的，请换一个输出位置",
    errno.EACCES: "没有写入权限，请换一个输出位置",
    errno.EPERM: "没有写入权限，请换一个输出位置",
    errno.ENAMETOOLONG: "文件名太长，请缩短编号或姓名",
    errno.EIO: "磁盘读写出错，请检查磁盘后重试",
}


def write_failure(target: Path, exc: OSError) -> WriteError:
    """The clerk-readable error for ``exc``, raised while writing ``target``."""
    why = WRITE_FAILURES.get(exc.errno or 0, f"系统错误 {exc.errno or ''} {exc.strerror or ''}".strip())
    return WriteError(f"无法写入 {target}：{why}")
