"""Offline text recognition: RapidOCR on onnxruntime, its models inside the wheel; tesseract as fallback.

Nothing is downloaded at run time: rapidocr_onnxruntime (1.3/1.4) ships its three ONNX models in the
package, and ``model_files`` lets a test prove they are there. The engine is loaded once per process
(each reading worker loads it on its first scan, about 0.4 s).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image

from baodao.errors import DataError

# Intake reads in one worker process per core, so each recognizer keeps to one thread: onnxruntime's
# default (a thread per core in every worker) oversubscribes the cores and was slower.
OCR_THREADS = 1
REC_WIDTH, REC_HEIGHT = 320, 48  # the recognizer's input shape (rec_img_shape in RapidOCR's config)


@dataclass(frozen=True)
class OcrText:
    """Recognized text with the engine's confidence, 0 to 1."""

    text: str
    confidence: float


@dataclass(frozen=True)
class OcrBox:
    """A text line found on a page: where (pixels: x0, top, x1, bottom) and what."""

    box: tuple[int, int, int, int]
    text: str
    confidence: float


class Engine(Protocol):
    name: str

    def line(self, image: Image.Image) -> OcrText:
        """One line of text, already cut out (recognition only)."""
        ...

    def page(self, image: Image.Image) -> list[OcrBox]:
        """Every text line on an image (detection, then recognition)."""
        ...


class RapidEngine:
    name = "RapidOCR"

    def __init__(self) -> None:
        from rapidocr_onnxruntime import RapidOCR

        self._ocr = RapidOCR(intra_op_num_threads=OCR_THREADS, inter_op_num_threads=OCR_THREADS)

    def line(self, image: Image.Image) -> OcrText:
        """The line's text, and as its confidence the least sure step of the recognizer along the line.

        RapidOCR's own score averages only the characters it kept, so a character it dropped (a rare one,
        such as 蕰) leaves the score near 1. Every step of the CTC output counts here, blanks included, so
        a dropped character shows as an unsure step. This uses the recognizer's parts as 1.3/1.4 have them
        (pinned below 1.5).
        """
        pixels = np.asarray(image.convert("RGB"))
        rec = self._ocr.text_rec
        h, w = pixels.shape[:2]
        ratio = max(w / h, REC_WIDTH / REC_HEIGHT)
        batch = rec.resize_norm_img(pixels, ratio)[np.newaxis].astype(np.float32)
        steps = rec.session(batch)[0]
        text, _ = rec.postprocess_op(steps, False, wh_ratio_list=[w / h], max_wh_ratio=ratio)[0]
        return OcrText(str(text), float(steps[0].max(axis=1).min()) if text else 0.0)

    def page(self, image: Image.Image) -> list[OcrBox]:
        found, _ = self._ocr(np.asarray(image.convert("RGB")))
        out = []
        for corners, text, score in found or []:
            xs = [int(p[0]) for p in corners]
            ys = [int(p[1]) for p in corners]
            out.append(OcrBox((min(xs), min(ys), max(xs), max(ys)), str(text), float(score)))
        return out


@dataclass(frozen=True)
class _Word:
    line: tuple[int, int, int]  # block, paragraph, line numbers
    box: tuple[int, int, int, int]
    text: str
    confidence: float


class TesseractEngine:
    """Debian's tesseract-ocr with chi_sim, through its command line; used only without RapidOCR."""

    name = "tesseract"

    def line(self, image: Image.Image) -> OcrText:
        words = self._words(image, psm=7)
        if not words:
            return OcrText("", 0.0)
        return OcrText("".join(w.text for w in words), min(w.confidence for w in words))

    def page(self, image: Image.Image) -> list[OcrBox]:
        lines: dict[tuple[int, int, int], list[_Word]] = {}
        for word in self._words(image, psm=3):
            lines.setdefault(word.line, []).append(word)
        return [
            OcrBox(
                (
                    min(w.box[0] for w in words),
                    min(w.box[1] for w in words),
                    max(w.box[2] for w in words),
                    max(w.box[3] for w in words),
                ),
                "".join(w.text for w in words),
                min(w.confidence for w in words),
            )
            for words in lines.values()
        ]

    def _words(self, image: Image.Image, psm: int) -> list[_Word]:
        binary = shutil.which("tesseract")
        if binary is None:
            raise DataError("没有可用的文字识别程序（RapidOCR 未安装，也找不到 tesseract），无法读取扫描件")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        proc = subprocess.run(
            [binary, "stdin", "stdout", "-l", "chi_sim", "--psm", str(psm), "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=60,
            check=False,
        )
        words = []
        for row in proc.stdout.decode("utf-8", "replace").splitlines()[1:]:
            parts = row.split("\t")
            if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
                continue
            x, y, w, h = (int(v) for v in parts[6:10])
            line = (int(parts[2]), int(parts[3]), int(parts[4]))
            confidence = max(float(parts[10]), 0.0) / 100
            words.append(_Word(line, (x, y, x + w, y + h), parts[11].strip(), confidence))
        return words


@cache
def engine() -> Engine:
    """RapidOCR when it imports, else tesseract (Debian's tesseract-ocr-chi-sim)."""
    try:
        return RapidEngine()
    except ImportError:
        return TesseractEngine()


def model_files() -> list[Path]:
    """The ONNX models RapidOCR will load: all inside its installed package, none fetched at run time."""
    import rapidocr_onnxruntime

    return sorted(Path(rapidocr_onnxruntime.__file__).parent.joinpath("models").glob("*.onnx"))
