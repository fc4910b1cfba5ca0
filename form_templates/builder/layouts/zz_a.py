"""附录A 图A.1 党员志愿服务组织运行图: the 六步工作法 drawn as boxes and arrows made of table cells."""

from __future__ import annotations

from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from baodao.form_templates import docx_compat  # noqa: F401  (before any python-docx document)
from baodao.form_templates.builder import docx_kit as kit
from baodao.form_templates.builder.docx_kit import HEITI, KAITI
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg

SIZES = {"table_size": 9.5}
BOX = {"top": "single", "bottom": "single", "left": "single", "right": "single"}
WIDTHS = [15, 33, 108]
NUMBERS = "①②③④⑤"

# (step, ordinal, actors, what happens): condensed from 003 §3.1–§3.6; the slip that goes back to the
# member's unit follows the 注 of 表B.2.
STEPS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "报到",
        "第一步",
        ("县（区）级组织部门", "驻地单位党组织", "在职党员", "社区党组织"),
        (
            "年初，县（区）级组织部门督促机关、事业单位、科研院所、非公企业和社会组织等党组织到所在社区党组织报到，"
            "达成党建联建对子。",
            "县（区）级组织部门统一发放《在职党员社区报到证》，在职党员到所在社区党组织报到，登记单位、住址、特长、"
            "服务意向等。",
            "社区党组织在回执单上加盖公章，由在职党员送达所在单位党支部。",
        ),
    ),
    (
        "认岗",
        "第二步",
        ("驻地单位党组织", "社区党组织", "在职党员"),
        (
            "驻地单位党组织与社区党组织结对，商议签订党建联建项目。",
            "社区党组织根据居民需求设置志愿者服务岗位，在职党员自愿认领。",
            "认领同一岗位或兴趣相近的党员编入在职党员志愿者服务队，开展组团式服务；为特长党员建立特长党员工作室。",
        ),
    ),
    (
        "承诺",
        "第三步",
        ("联建党组织", "志愿者服务队", "在职党员"),
        (
            "联建党组织公示项目目标、效果、时限，签订《党建联建协议书》。",
            "服务队公示服务内容、时间、地点和联系方式；在职党员公示每年的服务项目、服务时长、联系方式。",
            "特长党员工作室公示特长党员照片、姓名、单位、服务项目、“营业”时间等，接受群众监督。",
        ),
    ),
    (
        "践诺",
        "第四步",
        ("联建党组织", "县（区）级组织部门", "社区党组织", "在职党员"),
        (
            "联建党组织按计划推进联建项目，打造品牌项目，扩大服务范围。",
            "县（区）级组织部门利用“七一”、重阳、端午、春节等节庆日，社区党组织围绕中心工作和群众需求，"
            "定期组织集中服务活动。",
            "在职党员“一对一”“多对一”结对帮扶弱势群体；每名在职党员干部分包社区10-15户居民，定期入户走访。",
        ),
    ),
    (
        "评星",
        "第五步",
        ("社区党组织", "服务对象", "党员群众代表大会"),
        (
            "社区党组织和服务对象评价联建项目质量，每个项目最高30分。",
            "党员每参加一次志愿服务记基础分5分，根据服务质量和成效上下浮动不超过3分；突出贡献者“一事一记”加分。",
            "社区党组织统一建卡管理，每半年集中清算一次，填写《（半年度）在职党员志愿服务积分评星登记表》。",
            "党员群众代表大会审议公布积分，每10分评定一个星级，超过十星以十星计；制作“先锋榜”长期公示。",
        ),
    ),
    (
        "激励",
        "第六步",
        ("各级党组织", "社区党组织", "党员志愿者"),
        (
            "星级评定作为在职党员评先评优的重要依据。",
            "社区党组织给十星级党员志愿者颁发鲜花和荣誉证书。",
            "党员志愿者凭积分到社区“党员志愿服务超市”兑换物品和服务。",
        ),
    ),
)
FEEDBACK = (
    "社区党组织定期填写《在职党员志愿服务情况反馈通知单》和《在职党员志愿服务情况汇总表》，"
    "通过县（区）级组织部门向党员所在单位党组织反馈积分评星情况；在职党员可填写《在职党员志愿服务情况意见反馈表》"
    "提出不同意见，评分争议项由社区党组织实际调查。"
)


def step_row(name: str, ordinal: str, actors: tuple[str, ...], items: tuple[str, ...]) -> Row:
    return Row(
        [
            Cell(lines=[ordinal, Seg(name, font=HEITI, size=15.0)], borders=BOX),
            Cell(lines=list(actors), borders=BOX),
            Cell(lines=[NUMBERS[i] + t for i, t in enumerate(items)], align="justify", borders=BOX),
        ]
    )


def arrow_row() -> Row:
    return Row([Cell(Seg("↓", font=HEITI, size=11.0)), Cell(""), Cell("")], height=7, exact=True)


def shade(cell, fill: str) -> None:  # type: ignore[no-untyped-def]
    """Fill a step box, so the six steps read as the nodes of the flow (not in the DSL)."""
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def build(b: FormBuilder) -> None:
    b.title("图A.1 " + b.spec.title, after=2)
    b.para("{%p if community %}", indent=False)
    b.para(b.tag("community"), align="center", indent=False, size=12.0, font=KAITI)
    b.para("{%p endif %}", indent=False)
    b.spacer(2)
    rows: list[Row] = [Row([Cell(t, head=True) for t in ("步骤", "责任主体", "主要工作")], height=7)]
    for i, step in enumerate(STEPS):
        if i:
            rows.append(arrow_row())
        rows.append(step_row(*step))
    feedback = Cell([Seg("双向反馈：", font=HEITI), FEEDBACK], span=3, align="justify", borders=BOX)
    rows += [arrow_row(), Row([feedback])]
    table = b.table(WIDTHS, rows, borders=False)
    kit.set_cell_padding(table)
    for row in table.rows:
        if row.cells[0].text.startswith("第"):
            shade(row.cells[0], "E7E6E6")
    for row in table.rows[1:]:
        for p in row.cells[-1].paragraphs:
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            p.paragraph_format.line_spacing = Pt(13)
