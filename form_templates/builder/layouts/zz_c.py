"""附录C 社区党组织党建联建协议书: the standard's fixed text, the agreed projects and clauses, signatures."""

from __future__ import annotations

from baodao.form_templates.builder.docx_kit import HEITI
from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row, Seg

SIZES = {"table_size": 10.5}
LINE = 26.0
U = "\u3000"

PREAMBLE = (
    "为深入贯彻落实党的十九大精神和习近平新时代中国特色社会主义思想，全面推进城市基层党建工作深入开展，"
    "促进区域党组织深入开展党建联建活动，经甲乙双方协商研究，达成如下协议："
)
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "一、指导思想",
        (
            "坚持以习近平新时代中国特色社会主义思想为指导，认真学习贯彻习近平总书记系列重要讲话精神。全面从严治党要求"
            "按照城市基层党建工作部署，以“项目化运作”为载体、以“五联”为抓手，以落实“条块结合、优势互补”为原则，"
            "科学整合双方党建资源，探索完善联建共建机制，实现以联建深化创新、以党建推动发展，促进联建双方统筹协调联动发展。",
        ),
    ),
    (
        "二、联建目标",
        (
            "通过深入实施党建联建，推动传统社区党建、非公企业党建与公共单位党建深度融合，打破条块分割、封闭运行的传统"
            "党建格局，推动企地双方党建阵地、特长党员、教育培训等各类党建资源的有效整合，逐步实现甲乙双方党组织间的"
            "优势互补、共建共享，促进双方党建工作统筹联动开展，不断强化双方各级党组织的政治功能和服务功能。",
        ),
    ),
    (
        "三、联建内容",
        (
            "以“五联”为主要内容：",
            "1、组织联建。发挥双方职能和资源优势，共同加强企地双方党建工作，强化双方党组织政治和服务功能，加大以"
            "“地缘、业缘、趣缘”等为纽带组建功能型党组织的探索力度。",
            "2、党员联管。建立健全定期报到、公开承诺、双向反馈、积分激励等四项机制。实行党员考核联判，对到社区报到的"
            "在职党员的表现定期考核评定，向其所在党组织反馈，进行全面准确的评价和判定。",
            "3、活动联搞。建好用好党建联席会机制，坚持民主集中制原则，围绕扶贫帮困、文化娱乐、知识宣传、治安维稳、"
            "志愿服务等共同开展各类党建活动。",
            "4、资源联用。整合甲乙双方活动场所、党员人力、优势职能等各类党建资源，严格落实在职党员向社区报到参加活动"
            "等做法，组织活动场所向辖区内所有党组织和党员开放、建设区域开放性组织活动场所等，发挥好党建网、微信公众号"
            "等信息渠道，及时发布各类信息，促进党建资源共享共用。",
            "5、服务联做。围绕甲乙双方和党员、群众等四方面的不同需求，充分整合辖区各类服务资源，以项目化的方式组织"
            "联建单位共同开展互助、义诊、园艺、文体、帮扶和平安、卫生、文明创建等丰富多彩的服务活动，推动服务资源与"
            "服务需求相对接。",
        ),
    ),
    (
        "四、工作要求",
        (
            "1、双方的联建工作应做到年初有活动计划，全年有活动记录、年终有活动总结。",
            "2、双方相互督促，认真执行，坚持相互学习、相互促进的原则，注重活动实效，及时总结各类典型，并加以推广。",
        ),
    ),
)
CLOSING = (
    "本协议未尽事宜，由甲乙双方在联建过程中根据形势发展和实际需要再行协商。",
    "本协议一式贰份，甲乙双方各执壹份。",
)
PROJECT_COLUMNS = ("title", "content", "deadline")


def build(b: FormBuilder) -> None:
    b.title(after=12)
    for name in ("party_a", "party_b"):
        b.para([b.label(name) + "：", Seg(b.tag(name, U * 12), underline=True)], indent=False, line=LINE)
    b.para(PREAMBLE, line=LINE)
    for heading, paragraphs in SECTIONS:
        b.para(heading, indent=True, font=HEITI, line=LINE, keep_next=True)
        for text in paragraphs:
            b.para(text, line=LINE)

    # The project table is what each pair of parties fills in, so it starts a page instead of splitting.
    b.page_break()
    b.para("五、" + b.label("projects"), font=HEITI, line=LINE, keep_next=True, after=4)
    record = b.loop_rows(
        "projects",
        [
            Cell("{{ loop.index }}"),
            *(
                Cell(b.cell_tag("projects", c), align="center" if c == "title" else "left")
                for c in PROJECT_COLUMNS
            ),
        ],
    )
    record[1].height = 15
    head = [Cell("序号", head=True)]
    head += [Cell(b.column_label("projects", c), head=True) for c in PROJECT_COLUMNS]
    b.table([14, 32, 76, 34], [Row(head, height=10, repeat=True), *record])

    b.spacer(3)
    b.spec.field("extra_clauses")
    b.para("六、" + b.label("extra_clauses"), font=HEITI, line=LINE, keep_next=True)
    b.para("{%p for item in extra_clauses %}", line=LINE)
    b.para("{{ loop.index }}、{{ item }}", line=LINE)
    b.para("{%p endfor %}", line=LINE)
    b.para("{%p if not extra_clauses %}", line=LINE)
    for _ in range(3):
        b.para(Seg(U * 29, underline=True), line=LINE)
    b.para("{%p endif %}", line=LINE)

    for text in CLOSING:
        b.para(text, line=LINE)
    b.spacer(10)
    sign = [
        Row(
            [
                Cell(b.label(n) + "：" + b.tag(n), align="left", valign="top", size=b.body_size)
                for n in ("party_a", "party_b")
            ],
            height=22,
        ),
        Row(
            [
                Cell(b.label(n) + "：" + b.tag(n), align="left", size=b.body_size)
                for n in ("party_a_leader", "party_b_leader")
            ],
            height=16,
        ),
        Row(
            [
                Cell(""),
                Cell(b.tag("signed_on", f"{U * 3}年{U * 2}月{U * 2}日"), align="right", size=b.body_size),
            ],
            height=12,
        ),
    ]
    b.table([78, 78], sign, borders=False)
