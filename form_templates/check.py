"""Checks a DOCX template (bundled, or a clerk's edited copy) against its form's spec."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from jinja2 import TemplateAssertionError, TemplateSyntaxError, meta, nodes
from lxml import etree

from baodao.errors import TemplateError
from baodao.form_templates.package import rewrite_package
from baodao.form_templates.spec import FormSpec
from baodao.form_templates.tags import FoundTag, paragraphs_with_location, scan_paragraph
from baodao.form_templates.template_env import jinja_environment

Level = Literal["错误", "警告", "已修复"]
# Names a template may use besides the spec's fields: baodao's helpers and system values, jinja's globals.
ALLOWED_NAMES = frozenset(
    {"tick", "form_id", "range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace"}
)
_DOCXTPL_PREFIX = re.compile(r"^\{%-?\s*(p|tr|tc|r)\s+")
_PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_PART_LABEL = {"document": "正文", "header": "页眉", "footer": "页脚"}


@dataclass(frozen=True)
class Finding:
    level: Level
    location: str
    message: str

    def __str__(self) -> str:
        return f"[{self.level}] {self.location}：{self.message}"


@dataclass
class CheckReport:
    """What the check found; ``repaired`` holds the mended part XML when split tags were joined."""

    template: Path
    findings: list[Finding] = field(default_factory=list)
    repaired: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(f.level == "错误" for f in self.findings)

    def add(self, level: Level, location: str, message: str) -> None:
        self.findings.append(Finding(level, location, message))


def check_template(template: Path, spec: FormSpec) -> CheckReport:
    """Every tag must parse, name a field of ``spec`` (or a helper), and every required field must be used."""
    report = CheckReport(template)
    tags = _collect_tags(template, report)
    for tag in tags:
        if tag.was_split:
            report.add("已修复", tag.location, f"标记 {tag.text} 被 Word/WPS 拆成了几段，已合并")
        elif tag.had_curly_quotes:
            report.add("已修复", tag.location, f"标记 {tag.text} 中的中文引号已改为英文引号")
    source = "\n".join(_DOCXTPL_PREFIX.sub("{% ", t.text) for t in tags)
    env = jinja_environment()
    try:
        ast = env.parse(source)
    except TemplateSyntaxError as exc:
        where = tags[exc.lineno - 1].location if 0 < exc.lineno <= len(tags) else "模板"
        report.add("错误", where, f"标记写法有误：{exc.message}")
        return report
    locate = {t.text: t.location for t in tags}
    try:
        _check_names(ast, spec, report, locate)
    except TemplateAssertionError as exc:  # an unknown filter or test surfaces when jinja compiles
        where = tags[exc.lineno - 1].location if exc.lineno and 0 < exc.lineno <= len(tags) else "模板"
        report.add("错误", where, f"标记中用了不认识的过滤器或测试：{exc.message}")
    return report


def _collect_tags(template: Path, report: CheckReport) -> list[FoundTag]:
    try:
        with zipfile.ZipFile(template) as zf:
            parts = {n: zf.read(n) for n in zf.namelist() if _PART.match(n)}
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise TemplateError(f"无法打开模板 {template}：不是有效的 Word 文档（{exc}）") from exc
    if "word/document.xml" not in parts:
        raise TemplateError(f"模板 {template} 中没有正文（word/document.xml），不是 Word 文档")
    found: list[FoundTag] = []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    for name in sorted(parts, key=lambda n: n != "word/document.xml"):
        root = etree.fromstring(parts[name], parser)
        kind = re.sub(r"\d+$", "", name.split("/")[1].removesuffix(".xml"))
        changed = False
        for p, location in paragraphs_with_location(
            root.find(f"{{{root.nsmap['w']}}}body") if kind == "document" else root, _PART_LABEL[kind]
        ):
            tags, unclosed = scan_paragraph(p, location, repair=True)
            found.extend(tags)
            changed |= any(t.was_split or t.had_curly_quotes for t in tags)
            for u in unclosed:
                report.add("错误", u.location, f"标记没有闭合：“{u.text}”")
        if changed:
            report.repaired[name] = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
    return found


def _check_names(ast: nodes.Template, spec: FormSpec, report: CheckReport, locate: dict[str, str]) -> None:
    fields = {f.name: f for f in spec.fields}

    def where(name: str) -> str:
        return next(
            (loc for text, loc in locate.items() if re.search(rf"\b{re.escape(name)}\b", text)), "模板"
        )

    used = meta.find_undeclared_variables(ast)
    for name in sorted(used - set(fields) - ALLOWED_NAMES):
        report.add(
            "错误",
            where(name),
            f"标记中的“{name}”不是表单 {spec.key} 的字段（可用字段：{'、'.join(fields)}）",
        )
    for f in spec.required_fields:
        if f.name not in used:
            report.add("错误", "模板", f"必填字段“{f.label}”（{f.name}）在模板中没有出现")
    for f in spec.fields:
        if not f.required and f.name not in used:
            report.add("警告", "模板", f"字段“{f.label}”（{f.name}）在模板中没有出现，生成时不会打印")
    for loop in ast.find_all(nodes.For):
        if isinstance(loop.iter, nodes.Name) and isinstance(loop.target, nodes.Name):
            table = fields.get(loop.iter.name)
            if table is not None and table.type == "table":
                columns = {c.name for c in table.columns}
                for attr in _attributes_of(loop, loop.target.name):
                    if attr not in columns:
                        report.add("错误", where(attr), f"表格“{table.label}”没有名为“{attr}”的列")
    for target, option in _tick_options(ast):
        if isinstance(target, nodes.Name) and isinstance(option, nodes.Const) and target.name in fields:
            f = fields[target.name]
            if option.value not in f.options:
                report.add(
                    "错误",
                    where(target.name),
                    f"勾选项“{option.value}”不是字段“{f.label}”的选项（{'、'.join(f.options)}）",
                )


def _tick_options(ast: nodes.Template) -> list[tuple[nodes.Expr | None, nodes.Expr]]:
    """(field, option) of every box: ``{{ skills|tick('写作') }}`` or ``{{ tick(skills, '写作') }}``."""
    found = [(f.node, f.args[0]) for f in ast.find_all(nodes.Filter) if f.name == "tick" and len(f.args) == 1]
    found += [
        (c.args[0], c.args[1])
        for c in ast.find_all(nodes.Call)
        if isinstance(c.node, nodes.Name) and c.node.name == "tick" and len(c.args) == 2
    ]
    return found


def _attributes_of(loop: nodes.For, var: str) -> set[str]:
    return {
        g.attr for g in loop.find_all(nodes.Getattr) if isinstance(g.node, nodes.Name) and g.node.name == var
    }


def write_repaired(template: Path, report: CheckReport, out: Path) -> None:
    """Copy ``template`` to ``out`` with the mended parts, every other member unchanged."""
    rewrite_package(template, out, report.repaired)
