"""`baodao doctor`: what this machine has of the programs and fonts baodao needs, and how to get the rest."""

from __future__ import annotations

import click


@click.command(name="doctor")
def doctor() -> None:
    """检查本机是否具备 baodao 需要的程序和字体，缺什么、怎么装。"""
    from baodao.office.programs import requirements

    missing = 0
    for req in requirements():
        if req.found is None:
            missing += 1
            click.echo(f"缺少  {req.name}（用于{req.needed_for}）：{req.install}")
        else:
            click.echo(f"具备  {req.name}：{req.found}")
    if missing:
        raise SystemExit(f"Error: 缺少 {missing} 项，见上；装好后再运行 baodao doctor 检查。")
    click.echo("全部具备。")
