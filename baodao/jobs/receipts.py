"""回执 for forms already issued: one per issuance-register entry, paired with its form by 编号.

A receipt (zz-b2) answers a form that went out (zz-b1): its 编号 is that form's id and it names the same
member. The rest of a receipt (报到日期, 申报的项目, 经办人, the seal) is filled in by the community when
the member reports, so it is printed blank. Generation and the store meet here, not in docgen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine

from baodao.docgen.batch import GenerateOptions, GenerateResult, generate_table
from baodao.docgen.issued import IssuedForm
from baodao.errors import DataError
from baodao.form_templates.catalog import Form, get_form
from baodao.form_templates.spec import FormSpec, JsonValue
from baodao.office.sources import SourceCell, SourceRow, SourceTable
from baodao.store.records import current_records
from baodao.store.register import DEFAULT_OFFICE, list_issued, record_issued


def generate_receipts(
    engine: Engine,
    receipt: Form,
    issued_key: str,
    options: GenerateOptions,
    ids: Sequence[str] = (),
    progress: Callable[[int], object] = lambda n: None,
    office_id: int = DEFAULT_OFFICE,
    template_version_id: int | None = None,
) -> GenerateResult:
    """One ``receipt`` for each issued ``issued_key`` (or those in ``ids``), registered as issued too
    (as ``office_id``'s, made from ``template_version_id``: None for the bundled template)."""
    issued = get_form(issued_key)
    if receipt.spec.answers != issued.key:
        what = f"，它是 {receipt.spec.answers} 的回执" if receipt.spec.answers else ""
        raise DataError(f"表单 {receipt.key}（{receipt.spec.title}）不是 {issued.key} 的回执{what}")
    table = receipt_table(engine, receipt.spec, issued.spec, ids)
    given = set(table.headers)
    by_hand = {
        f.name for f in receipt.spec.fields if f.required and f.type != "table" and f.name not in given
    }
    options = replace(options, column_map={}, blank=options.blank | by_hand)
    return generate_table(
        receipt,
        table,
        options,
        lambda e: record_issued(engine, e, office_id, template_version_id),
        progress,
    )


def receipt_table(engine: Engine, receipt: FormSpec, issued: FormSpec, ids: Sequence[str]) -> SourceTable:
    """The receipts' rows, keyed by field name: 编号 and member from the register; fields the receipt
    shares with the issued form (same name and label, e.g. 报到地党组织) from its returned copy, when
    every one of them came back with it (a column filled for some would leave the others' rows short)."""
    entries = _entries(engine, issued.key, ids)
    if receipt.id_field is None:
        raise DataError(f"表单 {receipt.key} 没有编号栏，无法与 {issued.key} 配对")
    who = _recipient_field(receipt)
    returned = {r.form_id: r.fields for r in current_records(engine, issued.key) if r.form_id}
    shared = [
        f.name
        for f in receipt.fields
        if f.name in issued.field_names
        and f.name not in (receipt.id_field, who)
        and issued.field(f.name).label == f.label
        and all(returned.get(e.form_id, {}).get(f.name) not in (None, "", []) for e in entries)
    ]
    headers = [receipt.id_field, *([who] if who else []), *shared]
    table = SourceTable(Path(f"发放登记中的 {issued.key}"), headers, 0)
    for n, entry in enumerate(entries, start=1):
        values: list[JsonValue] = [entry.form_id, *([entry.recipient] if who else [])]
        values += [returned[entry.form_id][name] for name in shared]
        table.rows.append(
            SourceRow(n, {i: SourceCell(v) for i, v in enumerate(values) if v not in (None, "")})
        )
    return table


def _entries(engine: Engine, key: str, ids: Sequence[str]) -> list[IssuedForm]:
    entries = list_issued(engine, key)
    if not entries:
        raise DataError(f"发放登记中还没有 {key}：先生成并登记 {key}，再按它生成回执")
    if not ids:
        return entries
    by_id = {e.form_id: e for e in entries}
    unknown = [i for i in ids if i not in by_id]
    if unknown:
        shown = "、".join(list(by_id)[:5]) + (" 等" if len(by_id) > 5 else "")
        raise DataError(f"发放登记中没有编号为 {'、'.join(unknown)} 的 {key}（已登记的如：{shown}）")
    return [by_id[i] for i in dict.fromkeys(ids)]


def _recipient_field(spec: FormSpec) -> str | None:
    """The field naming the person the receipt is about (同志姓名), if it has one."""
    names = [f.name for f in spec.fields if f.type == "text" and f.name.endswith("name")]
    return min(names, key=len) if names else None
