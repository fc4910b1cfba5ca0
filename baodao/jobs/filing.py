"""A filing (报表) as a job: the same tally and writers as `baodao report`, for one office, with previews.

Parameters (JSON): kind (a `tally.reports.KINDS` key), policy (a bundled policy's key), year, half (1, 2 or
None), as_of (ISO date: the tally's day), by ("unit" or "community"), issuer, issued_on (ISO date or None).
A filing is known by these and its office: running it again tallies the same data on the same day and writes
the same files. The result lists each file to download (DOCX, PDF, XLSX, a ZIP of the single forms) and a
picture of each PDF's first page.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from baodao.errors import DataError, PolicyError
from baodao.files import atomic_path
from baodao.jobs.context import JobContext
from baodao.office.images import first_page_png
from baodao.store.offices import all_offices, office_ids_under
from baodao.tally.compute import tally
from baodao.tally.model import Tally
from baodao.tally.period import Period
from baodao.tally.policy import Policy, bundled
from baodao.tally.reports import KINDS, ReportOptions, write_report

# Each kind as a button says it, and the name its files go out under.
TITLES: dict[str, str] = {
    "summary": "汇总表",
    "feedback": "反馈通知单",
    "score-sheets": "积分评星登记表",
    "stats": "统计表",
    "spot-check": "抽查名单",
    "overdue": "逾期和未报到名单",
    "certificates": "十星证书",
    "honour-roll": "先锋榜",
}
# Kinds written as catalog forms (one file each, and a combined print file).
FORM_KINDS = ("summary", "feedback", "score-sheets", "stats")
# The library says what to add on the command line; the page has its own controls for the same choices.
PAGE_WORDS = {
    "请加 --half 1 或 --half 2": "请在“期间”中选上半年或下半年",
    "请加 --issuer，如 --issuer ": "请填“落款（发文）单位”，如 ",
    "（--by community 每社区一份）": "（或每社区一份）",
}


def in_page_words(text: str) -> str:
    """A library message with the command line's options said as the page's controls."""
    for cli, page in PAGE_WORDS.items():
        text = text.replace(cli, page)
    return text


# What each button says under its name.
ABOUT = {kind: in_page_words(text) for kind, text in KINDS.items()}


@dataclass(frozen=True)
class FilingParams:
    """What a filing is made from; with the office, what it is known by."""

    kind: str
    policy: str
    year: int
    half: int | None
    as_of: dt.date
    by: str = "unit"
    issuer: str = ""
    issued_on: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "policy": self.policy,
            "year": self.year,
            "half": self.half,
            "as_of": self.as_of.isoformat(),
            "by": self.by,
            "issuer": self.issuer,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
        }

    @property
    def title(self) -> str:
        period = Period(self.year, self.half).label
        return f"{TITLES[self.kind]}（{period}，统计至 {self.as_of.isoformat()}）"


def read_params(raw: dict[str, Any]) -> FilingParams:
    """The job's parameters, checked: a kind and a bundled policy by key (never a path), a sensible period."""
    kind = str(raw.get("kind", ""))
    if kind not in KINDS:
        raise DataError(f"没有“{kind}”这种报表；可用的：{'、'.join(TITLES.values())}")
    policy_of(str(raw.get("policy", "")))
    try:
        year = int(raw.get("year") or 0)
        half = int(raw["half"]) if raw.get("half") not in (None, "", 0, "0") else None
        as_of = dt.date.fromisoformat(str(raw.get("as_of") or ""))
        issued_on = dt.date.fromisoformat(str(raw["issued_on"])) if raw.get("issued_on") else None
    except ValueError as exc:
        raise DataError("年份、半年或日期填写有误：年份如 2025，日期如 2025-07-10") from exc
    if not 2000 <= year <= 2100:
        raise DataError(f"年份 {year} 不对，应为四位数的年份，如 2025")
    if half not in (None, 1, 2):
        raise DataError("半年只能是上半年（1）或下半年（2），全年不选")
    by = str(raw.get("by") or "unit")
    if by not in ("unit", "community"):
        raise DataError("汇总表只能按单位或按社区分")
    issuer = str(raw.get("issuer") or "").strip()
    if len(issuer) > 60 or any(unicodedata.category(c) == "Cc" for c in issuer):
        raise DataError("落款单位至多 60 字，且不能有看不见的控制字符（从别的程序粘贴带来的请删去重打）")
    return FilingParams(kind, policy_of(str(raw["policy"])).key, year, half, as_of, by, issuer, issued_on)


def policy_of(key: str) -> Policy:
    """A bundled policy by its key: the page offers only these, and a path must never be read from a form."""
    for policy in bundled():
        if policy.key == key:
            return policy
    raise DataError(f"没有名为“{key}”的规则；可用的：{'、'.join(p.key for p in bundled())}")


def tally_of(
    engine: Engine,
    offices: Collection[int],
    policy: Policy,
    period: Period,
    as_of: dt.date,
    progress: Callable[[int], object],
) -> Tally:
    """The one tally this job makes: of ``offices`` (the office and all under it); of everyone, the
    cheaper query, when those are every office there is."""
    everyone = set(offices) >= {o.id for o in all_offices(engine)}
    return tally(engine, policy, period, as_of, progress=progress, offices=None if everyone else offices)


def run(ctx: JobContext) -> dict[str, Any]:
    p = read_params(ctx.params)
    policy = policy_of(p.policy)
    offices = office_ids_under(ctx.engine, ctx.office_id)
    ctx.say(f"按“{policy.title}”统计{Period(p.year, p.half).label}（统计日 {p.as_of.isoformat()}）")
    try:
        return _run(ctx, p, policy, offices)
    except PolicyError as exc:
        raise PolicyError(in_page_words(str(exc))) from exc


def _run(ctx: JobContext, p: FilingParams, policy: Policy, offices: Collection[int]) -> dict[str, Any]:
    result = tally_of(ctx.engine, offices, policy, Period(p.year, p.half), p.as_of, ctx.advance)
    ctx.done = ctx.total = 0
    ctx.say(f"统计完成：{len(result.members)} 名党员；填写{TITLES[p.kind]}")
    out = ctx.workdir / "out"
    options = ReportOptions(
        out,
        pdf=True,
        force=True,
        by="community" if p.by == "community" else "unit",
        issuer=p.issuer or None,
        issued_on=p.issued_on,
        offices=offices,
        progress=ctx.advance,
    )
    written = write_report(p.kind, ctx.engine, policy, result, options)
    unit = "份" if p.kind in FORM_KINDS or p.kind in ("certificates", "honour-roll") else "行"
    ctx.say(f"已写好：{written.count} {unit}，正在生成预览")
    files = _downloads(p, written.files, out)
    previews = [
        first_page_png(path, ctx.workdir / "preview" / f"{i + 1}.png", dpi=100)
        for i, (path, _) in enumerate(f for f in files if f[0].suffix == ".pdf")
    ]
    return {
        "kind": p.kind,
        "title": TITLES[p.kind],
        "count": written.count,
        "members": len(result.members),
        "downloads": [{"name": name, "path": str(path.relative_to(ctx.data_dir))} for path, name in files],
        "previews": [str(path.relative_to(ctx.data_dir)) for path in previews],
    }


def _downloads(p: FilingParams, written: list[Path], out: Path) -> list[tuple[Path, str]]:
    """Each file under the name a clerk files it by: a form kind's combined DOCX and PDF and a ZIP of its
    single forms; the other kinds' files under their own (Chinese) names."""
    if p.kind not in FORM_KINDS:
        return [(path, path.name) for path in written]
    label = f"{TITLES[p.kind]}-{Period(p.year, p.half).label}"
    combined = [f for f in written if f.stem.endswith("-combined")]
    single = sorted(f for f in written if f.suffix in (".docx", ".xlsx") and f not in combined)
    archive = out / f"{label}.zip"
    with atomic_path(archive) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in single:
            zf.write(f, f.name)
    files = [(f, f"{label}{f.suffix}") for f in sorted(combined, key=lambda f: f.suffix != ".pdf")]
    return [*files, (archive, f"{label}-{len(single)}份.zip")]
