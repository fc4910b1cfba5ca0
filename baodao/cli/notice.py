"""`baodao notice`: render an official document (公文) from its data file."""

from __future__ import annotations

from pathlib import Path

import click

from baodao.docgen.notice_model import read_notice
from baodao.docgen.official import build_notice
from baodao.office.images import pdf_to_png
from baodao.office.pdf import convert_to_pdf


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
    docx = build_notice(read_notice(data), outdir / f"{data.stem}.docx")
    click.echo(str(docx))
    if pdf or png:
        made = convert_to_pdf([docx], outdir, blank_pages=True)[0]
        click.echo(str(made))
        if png:
            for page in pdf_to_png(made):
                click.echo(str(page))
