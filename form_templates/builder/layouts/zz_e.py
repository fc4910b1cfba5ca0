"""附录E 在职党员志愿服务情况反馈通知单: a short letter to the member's unit, signed by the 组织部."""

from __future__ import annotations

from baodao.form_templates.builder.dsl import Cell, FormBuilder, Row

LINE = 25.0

# The seed's template names the standard's own appendices (“《…汇总表模板》（参见附录F）”); a letter sent to a
# unit names the forms themselves, as sent with it.

PARAGRAPHS = (
    "党的十九大将“坚持以人民为中心”确立为新时代坚持和发展中国特色社会主义的基本方略之一。对此，在习近平新时代"
    "中国特色社会主义思想的指引下，我市全体党员坚持弘扬奉献、友爱、互助、进步的志愿精神，不断践行社会主义核心价值观，"
    "持续推动社区服务型党组织全面发展。",
    "目前，我市党员志愿服务活动帮助基层组织和基层群众解决了一大批困难和问题，涌现出了一大批志愿服务的先进典型，"
    "彰显了新时期共产党员的先进性，受到社区组织和人民群众的普遍欢迎。但是从社区统计上报的情况看，党员志愿服务活动的"
    "开展还存在单位间信息沟通不及时、个别党员没有按要求报到、单位和党员参与志愿服务活动少等问题。针对以上问题，"
    "各单位应积极寻求解决措施，不断推动社区党建健康发展。现将《在职党员志愿服务情况汇总表》（附后）"
    "发送到你单位，请及时针对党员志愿服务活动中存在的问题进行动员和督导，不断提升参与面和服务质量。同时，单位和部门"
    "应及时掌握在职党员有关情况，将在职党员在社区的表现和积分情况作为党员评先评优的重要参考依据，进一步加强党员的"
    "教育和管理工作。欢迎各位在职党员针对党员志愿服务反馈情况提出不同意见，填写《在职党员志愿服务情况意见反馈表》"
    "，与党支部相关负责人联系。针对党员评分争议项，党支部将组织相关人员进行实际调查，以确保党员服务情况"
    "真实有效。",
)


def build(b: FormBuilder) -> None:
    b.title(after=12)
    b.para(b.tag("addressee", "机关党委/党总支/党支部") + "：", indent=False, line=LINE)
    for text in PARAGRAPHS:
        b.para(text, line=LINE)
    b.spacer(12)
    b.table(
        [76, 80],
        [
            Row(
                [
                    Cell(""),
                    Cell(
                        size=b.body_size,
                        lines=[
                            b.tag("issuer", "中共\u3000\u3000\u3000\u3000\u3000\u3000组织部"),
                            b.tag("issued_on", "\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日"),
                        ],
                    ),
                ]
            )
        ],
        borders=False,
    )
