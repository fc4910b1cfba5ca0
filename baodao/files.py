"""Atomic output: every file is written beside its target and renamed into place only when complete."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from baodao.errors import BaodaoError

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


class WriteError(BaodaoError):
    """An output could not be written (disk full, no permission); nothing half-written is left."""


def write_failure(target: Path, exc: OSError) -> WriteError:
    """The clerk-readable error for ``exc`` raised while writing ``target``."""
    why = WRITE_FAILURES.get(exc.errno or 0, f"系统错误 {exc.errno or ''} {exc.strerror or ''}".strip())
    return WriteError(f"无法写入 {target}：{why}")


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in ``target``'s folder; rename it onto ``target`` only if the block succeeds.

    The file gets the permissions any new file gets (the umask), not mkstemp's private 0600: a clerk's
    colleague on a shared machine must be able to open it. A failed write (disk full) raises WriteError.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix + ".part", dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise write_failure(target, exc) from exc
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        raise write_failure(target, exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0o022)  # reading the umask means setting it; it is put back at once
    os.umask(mask)
    return mask
