"""`baodao forms`: list, show, check and render the catalog's templates."""

from __future__ import annotations

import json
from pathlib import Path

import click

from baodao.errors import OutputExistsError
from baodao.form_templates.catalog import forms as catalog_forms
from baodao.form_templates.catalog import get_form
from baodao.form_templates.spec import spec_as_dict


def _dump(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="输出每个表单的完整说明（JSON）。")
@click.pass_context
def forms(ctx: click.Context, as_json: bool) -> None:
    """表单目录：列出全部表单（子命令见下）。"""
    if ctx.invoked_subcommand is not None:
        return
    if as_json:
        _dump([spec_as_dict(f.spec) for f in catalog_forms()])
        return
    for f in catalog_forms():
        mark = "  （依据文字设计）" if f.spec.designed_from_text else ""
        extra = " +XLSX" if f.xlsx is not None else ""
        click.echo(f"{f.key:<17} {f.spec.seed} {f.spec.appendix:<14} {f.spec.title}{extra}{mark}")


@forms.command()
@click.argument("key")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def show(key: str, as_json: bool) -> None:
    """显示一个表单的字段：名称、标签、类型和限制。"""
    spec = get_form(key).spec
    if as_json:
        _dump(spec_as_dict(spec))
        return
    click.echo(f"{spec.key}  {spec.title}（{spec.seed} {spec.appendix}，{spec.kind}）")
    if spec.description:
        click.echo(spec.description)
    for f in spec.fields:
        limits = _limits(f.required, f.max_length, f.min_items, f.format, f.options)
        click.echo(f"  {f.name:<22} {f.label:<16} {f.type:<8} {limits}")
        for c in f.columns:
            click.echo(f"    · {c.name:<20} {c.label:<16} {c.type}")


def _limits(
    required: bool, max_length: int | None, min_items: int | None, fmt: str | None, options: tuple[str, ...]
) -> str:
    parts = ["必填"] if required else []
    if max_length:
        parts.append(f"≤{max_length}字")
    if min_items:
        parts.append(f"至少{min_items}项")
    if fmt:
        parts.append(fmt)
    if options:
        parts.append("选项：" + "、".join(options))
    return "；".join(parts)


@forms.command()
@click.argument("template", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--form", "key", help="模板对应的表单（默认从模板的属性或标题识别）。")
@click.option(
    "--fix-to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="把修复了拆分标记的模板另存到此文件（不会改动原文件）。",
)
def check(template: Path | None, key: str | None, fix_to: Path | None) -> None:
    """检查模板：标记是否都是表单字段、必填字段是否齐全、有无被拆分的标记。

    不给 TEMPLATE 时检查全部内置模板。
    """
    from baodao.form_templates.check import check_template, write_repaired
    from baodao.form_templates.identify import form_of_template

    if template is None:
        targets = [(f.docx, f.spec) for f in catalog_forms()]
    else:
        targets = [(template, get_form(key).spec if key else form_of_template(template))]
    failed = 0
    for path, spec in targets:
        report = check_template(path, spec)
        status = "通过" if report.ok else "不通过"
        click.echo(f"{spec.key}  {path}：{status}")
        for finding in report.findings:
            click.echo(f"  {finding}")
        failed += not report.ok
        if fix_to is not None and template is not None:
            if fix_to.exists() or fix_to.resolve() == template.resolve():
                raise OutputExistsError(f"{fix_to} 已存在，未覆盖。请换一个文件名。")
            write_repaired(path, report, fix_to)
            click.echo(f"已另存修复后的模板：{fix_to}")
    if failed:
        raise click.exceptions.Exit(1)


@forms.command()
@click.argument("key")
@click.option(
    "--out", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹。"
)
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF。")
def sample(key: str, outdir: Path, pdf: bool) -> None:
    """用示例数据填好一张表单（DOCX，表格类另有 XLSX），可选 PDF。"""
    from baodao.docgen.specimen import render_specimen

    for path in render_specimen(get_form(key), outdir, pdf=pdf):
        click.echo(str(path))


@forms.command()
@click.option(
    "--out",
    "outdir",
    default=Path("output/gallery"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="输出文件夹。",
)
def gallery(outdir: Path) -> None:
    """把全部表单的示例渲染为 DOCX、PDF 和 PNG（每页一张）。"""
    from baodao.docgen.specimen import render_gallery

    with click.progressbar(length=len(catalog_forms()), label="渲染表单", file=None) as bar:
        made = render_gallery(catalog_forms(), outdir, progress=bar.update)
    click.echo(f"已生成 {len(made)} 个文件到 {outdir}")
