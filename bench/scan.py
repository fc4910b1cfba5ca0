"""Benchmark: scanned returns, pages per minute and peak memory, as `baodao intake` reads them; and
phone photos, seconds a photo and how many values come out right.

Pages are zz-b1 forms issued by baodao, filled in and ticked as the tests do it (tests/intake/scans.py),
turned ±2°, noised and saved as 300 dpi JPEG. Measured in the same run: RapidOCR over the whole page
(detection and recognition, its usual use) as the baseline, and baodao's reading with tesseract in place
of RapidOCR, for accuracy. Photos are every shot of tests/intake/photos.py (turned, tilted, shadowed,
yellowed, blurred, 2–12 MP, JPEG 60–90) of each of its three filled forms. Run: `make bench-scan`
(python -m bench.scan).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from PIL import Image

from baodao.docgen.batch import GenerateOptions, generate
from baodao.form_templates.catalog import get_form
from baodao.intake.layout import layout_of
from baodao.intake.limits import Limits
from baodao.intake.model import ReadRecord
from baodao.intake.ocr import RapidEngine, TesseractEngine
from baodao.intake.scan import read_scan
from baodao.intake.worker import ReadingWorker, read_in_turn
from tests.intake.photos import SHOTS, SUBJECTS, photo_set
from tests.intake.scans import Filling, degrade, fill, render_pages

WRITTEN = {
    "性别": "女",
    "年龄": "36",
    "学历": "大学本科",
    "入党时间": "2010年7月",
    "工作单位及职务": "区卫健委科员",
}
WRITTEN |= {"联系方式": "13803710001", "家庭住址": "新安路18号院3号楼", "所属社区": "新安社区"}
EXPECTED = {"gender": "女", "age": 36, "education": "大学本科", "joined_party_on": "2010-07-01"}
EXPECTED |= {"employer_and_post": "区卫健委科员", "phone": "13803710001", "home_address": "新安路18号院3号楼"}
EXPECTED |= {"community": "新安社区", "skills": ["写作", "摄影", "法律", "医疗保健"]}


def make_scans(n: int, work: Path) -> list[Path]:
    roster = [{"编号": f"SJ-2025-{i:04d}", "姓名": "李晓燕"} for i in range(1, n + 1)]
    (work / "roster.json").write_text(json.dumps(roster, ensure_ascii=False), encoding="utf-8")
    form = get_form("zz-b1")
    by_hand = frozenset(f.label for f in form.spec.fields if f.required and f.label not in roster[0])
    made = generate(form, work / "roster.json", GenerateOptions(work / "gen", pdf=True, blank=by_hand))
    assert made.combined_pdf is not None
    page = layout_of("zz-b1").pages[0]
    filling = Filling(text=WRITTEN, ticks={"写作", "摄影", "法律", "医疗保健"})
    scans = []
    for i, png in enumerate(render_pages(made.combined_pdf, work / "pages")):
        out = work / f"scan-{i:03d}.jpg"
        degrade(fill(Image.open(png), page, filling), 2.0 if i % 2 else -2.0, seed=i).save(out, quality=75)
        scans.append(out)
    return scans


def worker_peak(scans: list[Path]) -> float:
    """Peak resident memory (MB) of one reading worker over a few scans: models, page and OCR."""
    with ReadingWorker(Limits.from_environment()) as worker:
        for path in scans:
            worker.read(path)
        status = Path(f"/proc/{worker._process.pid}/status").read_text()
    line = next(row for row in status.splitlines() if row.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def accuracy(records: list[ReadRecord]) -> tuple[int, int, int]:
    """(fields right, fields, wrong fields without a review flag)."""
    right = total = unflagged = 0
    for record in records:
        flagged = {i.field for i in record.issues}
        for name, want in EXPECTED.items():
            total += 1
            if record.fields[name] == want:
                right += 1
            elif name not in flagged:
                unflagged += 1
    return right, total, unflagged


def photo_figures(work: Path) -> None:
    """Every shot of every photographed form, read by two workers as `baodao intake` does."""
    taken = photo_set(work / "photos", SHOTS, SUBJECTS, every=True)
    start = time.perf_counter()
    got = list(read_in_turn([t.path for t in taken], Limits.from_environment()))
    seconds = (time.perf_counter() - start) / len(taken)
    right = total = unflagged = ticks = ticks_right = known = 0
    for photo, read in zip(taken, got, strict=True):
        total += len(photo.expected)
        ticks += len(photo.ticks)
        if not isinstance(read, ReadRecord):
            continue
        known += (read.form, read.form_id) == (photo.form, photo.form_id)
        flagged = {i.field for i in read.issues}
        for name, want in photo.expected.items():
            if read.fields[name] == want:
                right += 1
                ticks_right += name in photo.ticks
            elif name not in flagged:
                unflagged += 1
    print(f"phone photos: {len(taken)} ({len(SHOTS)} shots of {len(SUBJECTS)} filled forms)")
    print(f"  {seconds:.2f} s a photo of wall time (2 workers); form and id right {known}/{len(taken)}")
    print(f"  fields right {right}/{total} ({right / total:.1%}); wrong, not flagged: {unflagged}")
    print(f"  tick fields right {ticks_right}/{ticks}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--tesseract", type=int, default=4, help="pages read again with tesseract")
    parser.add_argument("--photos-only", action="store_true", help="only the phone photos")
    args = parser.parse_args()
    if args.photos_only:
        with tempfile.TemporaryDirectory() as tmp:
            photo_figures(Path(tmp))
        return
    with tempfile.TemporaryDirectory() as tmp:
        scans = make_scans(args.pages, Path(tmp))
        print(f"zz-b1: {len(scans)} filled, ticked, turned ±2°, noised 300 dpi JPEG pages")

        start = time.perf_counter()
        got = [r for r in read_in_turn(scans, Limits.from_environment()) if isinstance(r, ReadRecord)]
        seconds = time.perf_counter() - start
        peak = worker_peak(scans[:3])
        right, total, unflagged = accuracy(got)
        print(f"baodao intake (2 workers, per-field OCR)   {len(scans) / seconds * 60:6.1f} pages/min")
        print(f"  {seconds / len(scans):.2f} s a page of wall time; one worker's peak memory {peak:.0f} MB")
        print(f"  fields right {right}/{total} ({right / total:.1%}); wrong, not flagged: {unflagged}")

        rapid = RapidEngine()
        start = time.perf_counter()
        for path in scans[:4]:
            rapid.page(Image.open(path))
        whole = (time.perf_counter() - start) / min(4, len(scans))
        single = seconds / len(scans) * 2  # two workers: one page's own time is twice the wall time
        print(f"RapidOCR whole page (baseline), one thread {60 / whole:6.1f} pages/min, {whole:.2f} s a page")
        print(f"  baodao, one worker's time: {single:.2f} s a page, {whole / single:.1f}x the whole-page OCR")

        tesseract = TesseractEngine()
        start = time.perf_counter()
        tess = [
            r
            for r in (read_scan(p, Limits(), ocr=tesseract) for p in scans[: args.tesseract])
            if isinstance(r, ReadRecord)
        ]
        t_seconds = (time.perf_counter() - start) / max(1, args.tesseract)
        right, total, unflagged = accuracy(tess)
        print(f"same reading with tesseract (fallback)    {t_seconds:.2f} s a page")
        print(
            f"  fields right {right}/{total} ({right / max(total, 1):.1%}); wrong without a flag: {unflagged}"
        )
        photo_figures(Path(tmp))


if __name__ == "__main__":
    main()
