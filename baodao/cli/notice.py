"""`baodao notice`: render an official document (公文) from its data file."""

from __future__ import annotations

from pathlib import Path

import click

from baodao.docgen.notice_model import read_notice
from baodao.docgen.notice_pdf import render_notices
from baodao.docgen.official import build_notice
from baodao.office.images import pdf_to_png


@click.group()
def notice() -> None:
    """公文（GB/T 9704-2012 版式）。"""


@notice.command()
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out", "outdir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹。"
)
@click.option("--pdf", is_flag=True, help="同时用 LibreOffice 生成 PDF。")
@click.option("--png", is_flag=True, help="再把 PDF 每页转成 PNG 图片（用于查看）。")
def render(data: Path, outdir: Path, pdf: bool, png: bool) -> None:
    """按数据文件（YAML）排出一份公文：版头、正文、附件（表单）、版记。"""
    notice = read_notice(data)
    if not (pdf or png):
        click.echo(str(build_notice(notice, outdir / f"{data.stem}.docx")))
        return
    # Printed, then laid out again where the 版记 can share the text's even last page (notice_pdf).
    [(docx, made)] = render_notices([(notice, outdir / f"{data.stem}.docx")], outdir)
    click.echo(str(docx))
    click.echo(str(made))
    if png:
        for page in pdf_to_png(made):
            click.echo(str(page))
