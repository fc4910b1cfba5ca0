"""Benchmark: baodao's batch generation against a plain docxtpl loop and the zip-writing floor.

Prints docs/s for each, the ratios, the combined PDF time for 1,000 one-page forms, and peak memory of
a 10,000-record batch. Run: `make bench-generate` (about two minutes on two cores).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from docxtpl import DocxTemplate
from openpyxl import Workbook

from baodao.docgen.batch import GenerateOptions, generate
from baodao.docgen.context import build_context
from baodao.docgen.fastdocx import PreparedDocx
from baodao.docgen.ids import form_id
from baodao.form_templates.catalog import get_form
from baodao.form_templates.samples import sample_record
from baodao.form_templates.spec import Record
from baodao.form_templates.template_env import jinja_environment
from baodao.office.pdf import convert_to_pdf
from baodao.store.db import connect
from baodao.store.register import record_issued

FORM = "zz-b1"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def records(n: int) -> list[Record]:
    spec = get_form(FORM).spec
    base = sample_record(spec)
    out = []
    for i in range(n):
        r = dict(base)
        r["number"] = f"BENCH-{i:05d}"
        r["name"] = SURNAMES[i % len(SURNAMES)] + "测试" + str(i)
        r["phone"] = f"138{i:08d}"
        out.append(r)
    return out


def timed(label: str, fn: Callable[[Path], object], count: int, work: Path) -> float:
    """One run into a fresh folder; prints and returns docs/s."""
    seconds = _run(fn, work / label.split()[0])
    print(f"{label:<34} {count:>6} docs  {seconds:8.2f} s  {count / seconds:9.1f} docs/s")
    return count / seconds


def interleaved(
    runs: dict[str, Callable[[Path], object]], count: int, work: Path, rounds: int
) -> dict[str, float]:
    """Best of ``rounds`` for each, taken in turns, so both see the same disk (its speed drifts here)."""
    best = dict.fromkeys(runs, float("inf"))
    for n in range(rounds):
        for label, fn in runs.items():
            best[label] = min(best[label], _run(fn, work / f"{label.split()[0]}-{n}"))
    for label, seconds in best.items():
        rate = count / seconds
        print(f"{label:<34} {count:>6} docs  {seconds:8.2f} s  {rate:9.1f} docs/s  (best of {rounds})")
    return {label: count / seconds for label, seconds in best.items()}


def _run(fn: Callable[[Path], object], folder: Path) -> float:
    folder.mkdir()
    start = time.perf_counter()
    spent = fn(folder)
    return spent if isinstance(spent, float) else time.perf_counter() - start


def docxtpl_loop(recs: list[Record], out: Path) -> None:
    form = get_form(FORM)
    for r in recs:
        doc = DocxTemplate(str(form.docx))
        ident = str(r["number"])
        doc.render(build_context(form.spec, r, ident), jinja_environment(), autoescape=True)
        doc.save(str(out / f"{ident}.docx"))


def baodao_loop(recs: list[Record], out: Path) -> None:
    form = get_form(FORM)
    prepared = PreparedDocx(form.docx, form.key)
    for r in recs:
        ident = form_id(form.spec, r)
        prepared.save(prepared.render(build_context(form.spec, r, ident), ident), out / f"{ident}.docx")


def floor_loop(recs: list[Record], out: Path) -> float:
    """The same zips, written from parts rendered beforehand: what is left when rendering costs nothing."""
    form = get_form(FORM)
    prepared = PreparedDocx(form.docx, form.key)
    ready = []
    for r in recs:
        ident = form_id(form.spec, r)
        rendered = prepared.render(build_context(form.spec, r, ident), ident)
        ready.append((ident, prepared.replacements(rendered)))
    start = time.perf_counter()
    for ident, replace in ready:
        prepared.package.save(out / f"{ident}.docx", replace)
    return time.perf_counter() - start


def write_roster(recs: list[Record], path: Path) -> Path:
    """The records as a clerk's Excel roster: one row each under the form's printed labels."""
    spec = get_form(FORM).spec
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append([f.label for f in spec.fields])
    for r in recs:
        ws.append([_cell(r.get(f.name)) for f in spec.fields])
    wb.save(path)
    return path


def _cell(value: object) -> object:
    return "、".join(map(str, value)) if isinstance(value, list) else value


def peak_memory(roster: Path) -> None:
    """Child process: generate() over ``roster``; prints its RSS after imports and at its peak, in MB.

    VmHWM is read rather than ru_maxrss, which Linux carries over from the parent across fork and exec.
    """
    baseline = _high_water_mb()
    with tempfile.TemporaryDirectory() as work:
        options = GenerateOptions(outdir=Path(work) / "out")
        generate(get_form(FORM), roster, options)
    print(baseline, _high_water_mb())


def _high_water_mb() -> float:
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--memory-records", type=int, default=10_000)
    parser.add_argument("--peak-memory", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_memory:
        peak_memory(args.peak_memory)
        return
    recs = records(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(f"{FORM}, {args.n} records, this machine")
        slow = timed("docxtpl loop (baseline)", lambda d: docxtpl_loop(recs, d), args.n, work)
        rates = interleaved(
            {
                "baodao (prepare once, render)": lambda d: baodao_loop(recs, d),
                "floor (zip writing only)": lambda d: floor_loop(recs, d),
            },
            args.n,
            work,
            rounds=5,
        )
        fast, floor = rates.values()
        print(f"baodao / docxtpl: {fast / slow:5.1f}x   (target >= 30x)")
        print(f"floor / baodao:   {floor / fast:5.2f}x   (target <= 2x)")
        out = work / "combined"
        form = get_form(FORM)
        options = GenerateOptions(outdir=out)
        data = write_roster(recs, work / "roster.xlsx")
        start = time.perf_counter()
        engine = connect(str(work / "db.sqlite3"))
        result = generate(form, data, options, lambda entries: record_issued(engine, entries))
        batch = time.perf_counter() - start
        print(f"generate() incl. combined DOCX, register: {batch:6.2f} s for {args.n} forms")
        assert result.combined_docx is not None
        start = time.perf_counter()
        pdf = convert_to_pdf([result.combined_docx], out)[0]
        seconds = time.perf_counter() - start
        pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        count = next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages"))
        print(f"combined PDF (one LibreOffice run): {seconds:6.1f} s for {count} pages  (target <= 100 s)")
        roster = write_roster(records(args.memory_records), work / "big-roster.xlsx")
        child = [sys.executable, __file__, "--peak-memory", str(roster)]
        baseline, peak = map(
            float, subprocess.run(child, capture_output=True, text=True, check=True).stdout.split()
        )
        label = f"peak memory, generate() of {args.memory_records} records"
        print(f"{label}: {peak:.0f} MB, of which {baseline:.0f} MB after imports  (target <= 300 MB)")


if __name__ == "__main__":
    main()
