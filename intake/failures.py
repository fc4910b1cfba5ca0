"""What a parser's failure means for the clerk: a reason in plain Chinese and what to do, never Python's
own exception text, which goes to the log with its traceback."""

from __future__ import annotations

import logging
from pathlib import Path

from baodao.text import shown

log = logging.getLogger("baodao.intake")

RESAVE = "请用 Word、Excel 或 WPS 打开它，另存为一份新的 DOCX、XLSX 或 PDF 后再读入"
ENCRYPTED = (
    "PDF 有密码保护，无法读取：请用 PDF 阅读器输入密码打开，再“另存为”或“打印”成一份没有密码的 PDF 后读入"
)
NESTED = "文件的结构嵌套过深（正常的表单不会这样，可能是恶意文件），已停止读取；" + RESAVE
# Errors a decompressor raises when what it unpacks would not fit in memory (a flate bomb).
_OUT_OF_MEMORY = ("Unable to allocate", "Cannot allocate memory", "out of memory")


def is_out_of_memory(exc: BaseException) -> bool:
    """True for MemoryError and the errors decompressors raise instead when memory runs out."""
    return any(
        isinstance(e, MemoryError) or any(text in str(e) for text in _OUT_OF_MEMORY) for e in _chain(exc)
    )


def reason_for(exc: BaseException, path: Path) -> str:
    """The clerk's reason for a parser's failure on ``path``; the details are logged."""
    chain = _chain(exc)
    names = {type(e).__name__ for e in chain}
    if names & {"PDFPasswordIncorrect", "PDFEncryptionError", "FileNotDecryptedError"}:
        return ENCRYPTED
    if any(isinstance(e, RecursionError) for e in chain):
        return NESTED
    log.error("读取 %s 时出错", shown(path), exc_info=exc)
    return "文件已损坏或格式不对，无法读取（详情已记入日志）：" + RESAVE


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc``, its causes and contexts, and exceptions carried as arguments (pdfplumber wraps pdfminer's)."""
    found: list[BaseException] = []
    todo = [exc]
    while todo and len(found) < 20:
        e = todo.pop()
        if e in found:
            continue
        found.append(e)
        todo += [x for x in (e.__cause__, e.__context__, *e.args) if isinstance(x, BaseException)]
    return found
