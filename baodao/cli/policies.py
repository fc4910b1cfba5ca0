"""`baodao policies`: the jurisdictions' rules, as bundled or as a user's own edited copy."""

from __future__ import annotations

import json

import click

from baodao.tally.policy import Rule, bundled, load_policy


@click.group(name="policies", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="输出每套规则的全部内容（JSON）。")
@click.pass_context
def policies(ctx: click.Context, as_json: bool) -> None:
    """各地的“双报到”规则：列出内置的规则（子命令 show 查看一套）。"""
    if ctx.invoked_subcommand is not None:
        return
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in bundled()], ensure_ascii=False, indent=2, default=str))
        return
    for p in bundled():
        click.echo(f"{p.key:<16} 依据 {'、'.join(p.seeds)}  {p.title}")


@policies.command()
@click.argument("key_or_path")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出。")
def show(key_or_path: str, as_json: bool) -> None:
    """显示一套规则（内置规则的名称，或自己修改后的规则文件路径）及每条的出处。"""
    policy = load_policy(key_or_path)
    if as_json:
        click.echo(json.dumps(policy.as_dict(), ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{policy.key}  {policy.title}（{policy.source}）")
    for part, rules in (("党员", policy.member), ("单位", policy.unit)):
        for name, value in vars(rules).items():
            if isinstance(value, Rule):
                warn = "（仅提醒）" if value.warn_only else ""
                click.echo(f"  {part} {name} = {value.value:g}{warn}：{value.rule}")
            elif value is not None:
                click.echo(f"  {part} {name}：{value.rule}")
    for form, d in sorted(policy.deadline_of.items()):
        own = "（本规则另定）" if form in policy.deadlines else ""
        click.echo(f"  期限 {form} {d.month}月{d.day}日{own}：{d.rule}")
