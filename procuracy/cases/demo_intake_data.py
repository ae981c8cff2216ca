"""The vocabulary of the demo cases: names, charges with their frequency, civil
disputes, how often each kind of case comes in, outcomes, case-card values for
the fields the catalogue's kinds require, the police agency of a unit. No database."""
from __future__ import annotations

import random
from datetime import timedelta

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玲斌鹏宇浩然晨曦子涵雨欣俊峰"

# (charge, relative frequency): roughly the mix a district procuratorate receives.
CHARGES = [
    ("危险驾驶罪", 22), ("盗窃罪", 18), ("诈骗罪", 12), ("帮助信息网络犯罪活动罪", 10),
    ("故意伤害罪", 7), ("寻衅滋事罪", 5), ("开设赌场罪", 4), ("走私、贩卖、运输、制造毒品罪", 4),
    ("掩饰、隐瞒犯罪所得、犯罪所得收益罪", 4), ("交通肇事罪", 3), ("非法吸收公众存款罪", 2),
    ("容留他人吸毒罪", 2), ("妨害公务罪", 2), ("组织、领导传销活动罪", 1), ("抢劫罪", 1),
    ("强奸罪", 1), ("故意杀人罪", 0.3), ("贩卖毒品罪", 1), ("职务侵占罪", 1),
]
CIVIL_DISPUTES = ["买卖合同纠纷", "民间借贷纠纷", "劳动争议", "房屋租赁合同纠纷",
                  "机动车交通事故责任纠纷", "建设工程施工合同纠纷", "行政处罚", "工伤认定"]

# How often each kind comes in, by the catalogue's kind codes (others: 1).
KIND_SHARE = {
    "arrest_review": 30, "prosecution_review": 40, "criminal_protest": 1.5,
    "juvenile_conditional": 1.5, "custody_necessity": 4, "sentence_reduction": 3,
    "filing_oversight": 2.5, "investigation_oversight": 3, "trial_oversight": 2,
    "civil_judgment_oversight": 3, "admin_judgment_oversight": 1, "admin_pil": 2,
    "civil_pil": 0.5, "criminal_appeal": 1.5, "state_compensation": 0.4,
    "state_compensation_review": 0.2, "judicial_aid": 1, "accusation": 1,
}

# Outcomes of closed cases per kind: (outcome, weight). The must-review outcomes of
# case quality review (acquitted, not_prosecuted …) come up now and then.
OUTCOMES = {
    "arrest_review": [("arrest_approved", 78), ("arrest_not_approved", 22)],
    "prosecution_review": [("prosecuted", 85), ("not_prosecuted", 11), ("acquitted", 1.5),
                           ("prosecution_withdrawn", 1.5)],
    "criminal_protest": [("protest_upheld", 70), ("protest_withdrawn", 30)],
    "state_compensation": [("state_compensation", 60), ("compensation_refused", 40)],
    "state_compensation_review": [("state_compensation", 50), ("decision_upheld", 50)],
}


def _date_before(rng: random.Random, case, low: int, high: int) -> str:
    return (case.received_on - timedelta(days=rng.randrange(low, high))).isoformat()


def person(rng: random.Random) -> str:
    """A made-up name: a surname and one or two given characters."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def police_of(unit_name: str) -> str:
    """The police who send a unit its cases: 广州市海珠区人民检察院 → 广州市公安局海珠区分局."""
    name = unit_name.removesuffix("人民检察院")
    city, sep, district = name.partition("市")
    if sep and district:
        return f"{city}市公安局{district}分局"
    return f"{name}公安局"


def _court_no(rng: random.Random, case, kind: str) -> str:
    return f"（{case.received_on.year - 1}）粤0105{kind}{rng.randrange(100, 9999)}号"


# Case-card fields the catalogue's kinds require: a plausible value for each.
CARD_VALUES = {
    "judgment_received_on": lambda rng, case: _date_before(rng, case, 1, 10),
    "applicant": lambda rng, case: person(rng),
    "petitioner": lambda rng, case: person(rng),
    "claimant": lambda rng, case: person(rng),
    "defendants": lambda rng, case: "、".join(person(rng) for _ in range(rng.randrange(1, 3))),
    "original_judgment": lambda rng, case: _court_no(rng, case, "民初"),
    "original_decision": lambda rng, case: _court_no(rng, case, "刑初"),
    "respondent_agency": lambda rng, case: rng.choice(
        ["区生态环境局", "区市场监督管理局", "区自然资源局", "区住房和城乡建设局"]),
    "harm_description": lambda rng, case: rng.choice(
        ["河道违法排污", "违法占用耕地", "食品安全隐患", "文物保护不力", "未成年人网吧接纳"]),
    "claim_amount": lambda rng, case: rng.randrange(5, 500) * 1000,
    "sentence_years": lambda rng, case: rng.choice((1, 2, 3, 5, 8, 10, 15)),
    "amount_in_dispute": lambda rng, case: rng.randrange(1, 2000) * 10000,
}
