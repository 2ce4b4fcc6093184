"""docs/METHODS.md and the dashboard's Method page, both rendered from data/ by `methods_markdown`.

`python -m reports.methods` rewrites docs/METHODS.md; `--check` exits 1 when the file is stale.
"""
from __future__ import annotations

import argparse
import sys
from functools import lru_cache
from pathlib import Path

from model import backtest, engine
from model.claims import FINDING_DRAWS, central_effect, finding_share
from model.data import ModelData, default_data
from model.engine import parameter_batch
from model.market import base_shares
from model.refs import place, reference_text
from model.scenario import load_scenario, status_quo

METHODS_PATH = Path(__file__).resolve().parent.parent / "docs" / "METHODS.md"
PRESETS_DIR = Path(__file__).resolve().parent.parent / "scenarios"


HEADINGS = {
    "en": {
        "title": "Method", "generated": "Generated from `data/` by `make docs`; do not edit by hand.",
        "structure": "Structure of the model", "levers": "Levers", "mechanisms": "Mechanisms",
        "outcomes": "Outcomes", "parameters": "Parameters", "baseline": "Baseline (2021)",
        "figures": "Figures quoted from the documents", "claims": "Argument map (claims)",
        "literature": "Published sources", "arguments": "Arguments", "passages": "Passages",
        "sources": "Sources", "uses": "Parameters", "lever": "Lever", "kind": "Kind", "status_quo": "Status quo",
        "id": "Id", "label": "Label", "unit": "Unit", "low": "Low", "central": "Central", "high": "High",
        "source": "Source", "range": "How the range was chosen", "platform": "Platform", "gmv": "GMV 2021 (RMB bn)",
        "share": "Share", "access": "Open in WeChat 2021", "raw": "Raw text", "value": "Read as",
        "confidence": "Confidence", "reading": "Reading", "outcome": "Outcome", "direction": "Direction",
        "better": "Better", "better.higher": "higher", "better.lower": "lower", "better.none": "none",
        "description": "Description", "increase": "increase", "decrease": "decrease",
        "structure_text": (
            "An annual simulation from the 2021 base year to the horizon (default 2030), in named stages: "
            "calibrate, then each year the policy in force, the segment utilities, the joint solution of "
            "shares and fees, and one reporter per outcome group (`model/market.py`).\n\n"
            "**Demand.** Shoppers in four segments (preferred wallet × whether a purchase starts in a WeChat "
            "chat) choose a platform by a logit rule with indirect network effects. Every friction, price cut "
            "and fee is money (a fraction of the goods' value) and enters utility multiplied by α, so its RMB "
            "value does not depend on α. Interconnection does not pool platforms' networks: shoppers already "
            "multi-home, and data portability acts through search, switching and fees.\n\n"
            "**Fees.** Marketplaces set merchant fees (commission and advertising) by Bertrand–logit "
            "first-order conditions with pass-through ρ to prices. The largest marketplace's condition gives α "
            "from its observed 2021 take rate ({alpha:.0f} at central values); the others' conditions give "
            "their net costs. Fees respond every year to shares, open search (N6) and coordination (N16).\n\n"
            "**Calibration, 2021 only.** δ comes from Berry's inversion so that the 2021 shares and fees are an "
            "exact equilibrium; status-quo trends are the 2020→2021 change in log share from "
            "`data/history.yaml`, netted of network effects per draw. Nothing dated after 2021 enters.\n\n"
            "**Market.** The money base is NBS online physical-goods retail in 2021 (RMB 10,804 bn) times the "
            "platform set's coverage; platform GMV (which counts returns and cancellations) sets shares only. "
            "JD's first-party sales pay no merchant fee; advertising is merchants' acquisition cost and counted "
            "once, as platforms' revenue.\n\n"
            "**Welfare.** Consumer surplus is spending × log-sum / α (Small & Rosen) plus the quality path, less "
            "harms priced per affected user: privacy (shoppers whose data move), fraud (WeChat users reached by "
            "links into conglomerates) and clutter (WeChat users' time). The ledger adds merchants (private "
            "domain and marketplace) and every platform including Tencent (WeChat advertising, WeChat Pay, "
            "engagement lost to clutter); fees and prices are transfers between its rows and net out of the "
            "total. Present values discount the policy years from {first_year} at the discount rate.\n\n"
            "**Bounds.** Each consumer channel is bounded by what its mechanism can deliver: the fee channel by "
            "the fees shoppers pay, wallet friction by the friction times refused shoppers' spending, links by "
            "the friction times WeChat-originated spending, price cuts by merchants' margins. The whole of "
            "e-commerce is worth about 1 % of consumption (Dolfen et al. 2023), so any one rule must stay well "
            "below that; the tests require every preset's consumer gain to stay under 1.5 % of spending.\n\n"
            "**Attribution.** Breadth of opening only scopes the other levers and does nothing alone, so it is "
            "not a Shapley player: each outcome's change is split among the {players} policy levers at the "
            "chosen breadth by the exact Shapley value ({coalitions} coalitions in one batch; contributions sum "
            "to the change), and the breadth effect is reported apart: the same levers at the other breadth.\n\n"
            "**Uncertainty.** Monte Carlo draws each parameter from a triangular distribution on [low, high] "
            "with its mode at the central value (seed {seed}, {draws:,} draws); α, the net costs and the trends "
            "are derived inside each draw, so they move with the fees, pass-through and network effects they "
            "depend on. Status quo and scenario share every draw. The median is reported beside the central "
            "value. The solver re-solves the final year from tipped starts and reports any second equilibrium."),
        "limits": "What the model does not claim",
        "limits_text": (
            "- It is a calibrated model of the documents' arguments, not a forecast: shares move through the "
            "cited mechanisms and the 2020→2021 trends only.\n"
            "- Total online spending grows at one rate in every scenario (no outside good): effects are shifts "
            "between platforms, prices and surplus, not a bigger market.\n"
            "- Network effects are kept below the tipping threshold, so the model cannot represent the tipping "
            "N11 fears; the solver would report a second equilibrium if one appeared.\n"
            "- Douyin and Kuaishou as traffic pools that block Taobao (N5), Meituan and local services (Z12), "
            "merchants' multi-homing and steering beyond commission arbitrage, and entry are not modelled.\n"
            "- JD's first-party retail is outside the merchant accounting: it pays no fee and its margin is "
            "not in the ledger.\n"
            "- Platforms' net costs come from their fee conditions and include buyer subsidies and the value of "
            "growth; where a platform prices below its static markup the net cost is negative.\n"
            "- The WeChat-originated share of purchases, the link and wallet frictions, privacy and clutter "
            "harms, the independent WeChat stores' GMV and Douyin's take rate have no audited source: their "
            "ranges are wide, and the tornado and the findings' shares show what depends on them.\n"
            "- HHI and the Anti-Monopoly Law share presumptions are drawn on shares within this platform set: "
            "reference lines, not a defined relevant market."),
        "findings": "Findings and mechanism checks",
        "findings_text": (
            "A **mechanism check** holds by construction of the parameter ranges (the tests require it in every "
            "draw). A **finding** is where opposing mechanisms compete: the share of {draws} Monte Carlo draws in "
            "which it holds is the model's answer, and no test asks it to hold. Where a finding goes against the "
            "documents, the mechanisms listed say why."),
        "role": "Role", "check": "mechanism check", "finding": "finding", "holds": "Holds in",
        "central_effect": "Effect at central values",
        "presets": "Presets: headline numbers", "presets_text": (
            "Each preset's final year, central values, against the status quo; per cent of that year's "
            "spending in the market (`market.gmv`). The consumer gain is net of the priced harms beside it."),
        "preset": "Preset", "year": "Final year", "spending": "Spending (RMB bn)",
        "consumer_gain": "Consumer gain (RMB bn)", "pct": "% of spending", "harms": "Priced harms (RMB bn)",
        "total_welfare": "Total welfare (RMB bn)", "consumer_pv": "Consumer gain, PV (RMB bn)", "hhi": "Δ HHI",
    },
    "zh": {
        "title": "方法", "generated": "由 `make docs` 根据 `data/` 生成，请勿手工编辑。",
        "structure": "模型结构", "levers": "政策杠杆", "mechanisms": "机制", "outcomes": "结果指标",
        "parameters": "参数", "baseline": "基线（2021年）", "figures": "文献中的数字",
        "claims": "论点图（命题）", "literature": "已发表文献", "arguments": "论点", "passages": "段落",
        "sources": "来源", "uses": "参数", "lever": "杠杆", "kind": "类型", "status_quo": "现状",
        "id": "编号", "label": "名称", "unit": "单位", "low": "低", "central": "中", "high": "高",
        "source": "来源", "range": "区间依据", "platform": "平台", "gmv": "2021年GMV（十亿元）",
        "share": "份额", "access": "2021年在微信内可打开", "raw": "原文", "value": "解读为",
        "confidence": "可信度", "reading": "解读", "outcome": "结果", "direction": "方向",
        "better": "更好方向", "better.higher": "越高越好", "better.lower": "越低越好", "better.none": "无",
        "description": "说明", "increase": "上升", "decrease": "下降",
        "structure_text": (
            "从2021年基年逐年模拟至设定年份（默认2030年），分为命名的阶段：校准，然后每年依次为实施中的政策、"
            "各群体效用、份额与费率的联合求解，以及每个结果组一个报告函数（`model/market.py`）。\n\n"
            "**需求。** 四个消费者群体（偏好的钱包 × 购买是否始于微信聊天）按含间接网络效应的 logit 规则选择平台。"
            "所有摩擦、降价和费用都以金额计（占商品价值的比例），乘以 α 进入效用，因此其人民币价值与 α 无关。"
            "互联互通不合并各平台的网络：消费者本已多平台购物，数据可携带通过搜索、转换与费用起作用。\n\n"
            "**费用。** 电商平台按 Bertrand–logit 一阶条件设定商家费用（佣金与广告），按传导率 ρ 传至价格。"
            "最大平台的条件由其2021年实际费率给出 α（中值下为 {alpha:.0f}）；其他平台的条件给出其净成本。"
            "费率每年随份额、开放搜索（N6）与协调（N16）变化。\n\n"
            "**校准只用2021年及以前的数据。** δ 由 Berry 反演确定，使2021年的份额与费率恰为均衡；现状趋势为"
            " `data/history.yaml` 中2020→2021年份额对数的变化，并在每次抽样中扣除网络效应。不使用2021年以后的任何数据。\n\n"
            "**市场。** 货币基数为2021年国家统计局实物商品网上零售额（108042亿元）乘以平台集合的覆盖率；"
            "平台 GMV（含退货与取消订单）只用于计算份额。京东自营销售不付商家费用；广告是商家的获客成本，"
            "只作为平台收入计一次。\n\n"
            "**福利。** 消费者剩余 = 支出 × 对数和 / α（Small 与 Rosen）加质量路径，减去按受影响用户定价的损害："
            "隐私（数据流动的网购者）、诈骗（经链接进入综合集团的微信用户）与杂乱（微信用户的时间）。"
            "账本加上商家（私域与平台）和各平台（含腾讯：微信广告、微信支付、杂乱导致的活跃度损失）；"
            "费用与价格是各行之间的转移，在总计中抵消。现值把自{first_year}年起的政策年份按贴现率折现。\n\n"
            "**上限。** 每个消费者渠道都以其机制所能带来的为上限：费用渠道以消费者支付的费用为限，钱包摩擦以摩擦乘以"
            "被拒消费者的支出为限，外链以摩擦乘以源自微信的支出为限，降价以商家利润为限。整个电商约值消费的1%"
            "（Dolfen 等 2023），任何单项规则都应远低于此；测试要求每个预设的消费者收益低于支出的1.5%。\n\n"
            "**归因。** 开放范围只限定其他杠杆的作用范围，本身不起作用，因此不作为 Shapley 参与者：每个结果的变化在"
            "所选范围下按精确 Shapley 值分配给 {players} 个政策杠杆（{coalitions} 个组合一次批量运行，各项之和等于总变化），"
            "范围效应单独报告：相同杠杆在另一种范围下的差异。\n\n"
            "**不确定性。** 蒙特卡洛对每个参数从 [低, 高] 上众数为中值的三角分布抽样（种子 {seed}，{draws} 次）；"
            "α、净成本与趋势在每次抽样内推导，随其所依赖的费率、传导率和网络效应变化。现状与情景共享每次抽样。"
            "中位数与中值并列报告。求解器从倾斜初值重新求解最后一年，并报告任何第二个均衡。"),
        "limits": "模型不主张什么",
        "limits_text": (
            "- 本模型是对两份文献论点的校准模型，而非预测：份额只通过所引用的机制与2020→2021年趋势变化。\n"
            "- 各情景的网上总支出按同一速度增长（无外部选项）：影响体现为平台、价格与剩余之间的转移，而非市场做大。\n"
            "- 网络效应保持在倾覆阈值以下，因此模型无法表现 N11 担心的倾覆；若出现第二个均衡，求解器会报告。\n"
            "- 未建模：抖音与快手作为屏蔽淘宝的流量池（N5）、美团与本地生活（Z12）、佣金套利以外的商家多平台经营与引流、新进入。\n"
            "- 京东自营不在商家账目之内：不付费用，其利润不计入账本。\n"
            "- 平台净成本由其费率条件推出，包含买家补贴与增长价值；平台定价低于静态加价时，净成本为负。\n"
            "- 源自微信的购买比例、外链与钱包摩擦、隐私与杂乱损害、独立微信店铺 GMV 与抖音费率没有经审计的来源："
            "区间较宽，龙卷风图与各发现的成立比例显示哪些结果依赖于它们。\n"
            "- HHI 与《反垄断法》份额推定线按本平台集合内的份额绘制：仅作参考线，并非界定的相关市场。"),
        "findings": "发现与机制检验",
        "findings_text": (
            "**机制检验**由参数区间的构造保证成立（测试要求在每次抽样中成立）。**发现**是相反机制相互竞争之处："
            "在 {draws} 次蒙特卡洛抽样中成立的比例就是模型的答案，没有测试要求它成立。发现与文献相悖时，所列机制说明原因。"),
        "role": "类型", "check": "机制检验", "finding": "发现", "holds": "成立比例",
        "central_effect": "中值下的效应",
        "presets": "预设：主要数字", "presets_text": (
            "各预设的最终年份、中值参数、相对现状；百分比为占当年市场支出（`market.gmv`）的比例。消费者收益已扣除旁列的定价损害。"),
        "preset": "预设", "year": "最终年份", "spending": "支出（十亿元）",
        "consumer_gain": "消费者收益（十亿元）", "pct": "占支出%", "harms": "定价损害（十亿元）",
        "total_welfare": "总福利（十亿元）", "consumer_pv": "消费者收益现值（十亿元）", "hhi": "HHI 变化",
    },
}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


@lru_cache(maxsize=4)
def claim_shares(data: ModelData) -> dict[str, float]:
    """Share of draws in which each claim holds (computed once per process and data)."""
    return {c.id: finding_share(c, data) for c in data.claims.values()}




def preset_table(data: ModelData, lang: str) -> list[str]:
    """Each shipped preset's headline numbers, final year and central values."""
    h = HEADINGS[lang]
    rows = []
    for path in sorted(PRESETS_DIR.glob("*.yaml")):
        result = engine.run(load_scenario(path, data), data)
        change = result.final["change"]
        spending = float(result.final.loc["market.gmv", "value"])
        gain = float(change["consumer.surplus"])
        rows.append([path.stem, str(result.years[-1]), f"{spending:,.0f}", f"{gain:,.1f}",
                     f"{100 * gain / spending:.2f}", f"{change['consumer.harm']:,.1f}", f"{change['welfare.total']:,.1f}",
                     f"{change['consumer.surplus_pv']:,.0f}", f"{change['concentration.hhi']:+,.0f}"])
    return [h["presets_text"], ""] + _table(
        [h["preset"], h["year"], h["spending"], h["consumer_gain"], h["pct"], h["harms"], h["total_welfare"],
         h["consumer_pv"], h["hhi"]], rows)


def methods_markdown(data: ModelData | None = None, lang: str = "en") -> str:
    """The full method document in English or Chinese."""
    data = data or default_data()
    h = HEADINGS[lang]
    central_run = engine.run(status_quo(data), data)
    out = [f"# {h['title']}", "", f"_{h['generated']}_", "", f"## {h['structure']}", "",
           h["structure_text"].format(seed=data.baseline.uncertainty.seed, draws=data.baseline.uncertainty.draws,
                                      alpha=central_run.price_coefficient, players=len(data.policy_levers),
                                      coalitions=2 ** len(data.policy_levers),
                                      first_year=data.baseline.simulation.first_policy_year), ""]

    out += [f"## {h['limits']}", "", h["limits_text"], ""]
    out += [f"## {h['levers']}", ""]
    rows = []
    for lever in data.levers.values():
        rows.append([f"`{lever.id}`", getattr(lever.label, lang), getattr(lever.description, lang),
                     lever.status_quo, ", ".join(lever.arguments)])
    out += _table([h["id"], h["label"], h["description"], h["status_quo"], h["arguments"]], rows)

    out += [f"## {h['mechanisms']}", ""]
    for m in data.mechanisms.values():
        out += [f"### {getattr(m.label, lang)} (`{m.id}`)", "", getattr(m.summary, lang), "", "$$", m.equation, "$$", ""]
        if m.arguments:
            out.append(f"- **{h['arguments']}:** {', '.join(m.arguments)}")
        if m.passages or m.literature:
            out.append(f"- **{h['sources']}:** {reference_text(data, m.passages, m.literature, lang)}")
        if m.parameters:
            out.append(f"- **{h['uses']}:** {', '.join(f'`{p}`' for p in m.parameters)}")
        out.append("")

    out += [f"## {h['outcomes']}", ""]
    out += _table([h["id"], h["label"], h["unit"], h["better"], h["description"]],
                  [[f"`{o.id}`", getattr(o.label, lang), getattr(data.units[o.unit], lang), h[f"better.{o.better}"], getattr(o.description, lang)]
                   for o in data.outcomes.values()])

    out += [f"## {h['parameters']}", ""]
    groups: dict[str, list] = {}
    for p in data.parameters.values():
        groups.setdefault(p.group, []).append(p)
    for group, items in groups.items():
        out += [f"### {group}", ""]
        out += _table([h["id"], h["label"], h["unit"], h["low"], h["central"], h["high"], h["source"], h["range"]],
                      [[f"`{p.id}`", getattr(p.label, lang), getattr(p.unit, lang), f"{p.low:g}", f"{p.central:g}", f"{p.high:g}",
                        reference_text(data, p.reference.passages, p.reference.literature, lang), getattr(p.range_note, lang)] for p in items])

    out += [f"## {h['baseline']}", ""]
    gmv, shares = base_shares(parameter_batch(data, 1), data)
    out += _table([h["platform"], h["gmv"], h["share"], h["access"], h["source"]],
                  [[getattr(p.label, lang), f"{gmv[0, j]:,.0f}", f"{shares[0, j]:.1%}", f"{p.wechat_access:g}",
                    reference_text(data, p.gmv_reference.passages, p.gmv_reference.literature, lang)]
                   for j, p in enumerate(data.platforms)])

    out += [f"## {h['figures']}", ""]
    out += _table([h["id"], h["raw"], h["value"], h["unit"], h["confidence"], h["reading"], h["source"]],
                  [[f"`{f.id}`", f.raw, f"{f.value:g}", getattr(f.unit, lang), f.confidence, getattr(f.reading, lang),
                    f"{f.passage} ({place(data.passages[f.passage].location, lang)})"] for f in data.figures.values()])

    out += [f"## {h['presets']}", ""] + preset_table(data, lang)
    out += [f"## {h['findings']}", "", h["findings_text"].format(draws=FINDING_DRAWS), ""]
    shares = claim_shares(data)
    out += _table([h["id"], h["role"], h["arguments"], h["lever"], h["outcome"], h["direction"], h["holds"],
                   h["central_effect"], h["mechanisms"]],
                  [[f"`{c.id}`", h[c.role], ", ".join(c.arguments),
                    f"{c.lever}: {c.from_value} → {c.to_value}" if c.lever else c.kind,
                    f"`{c.outcome}` ({c.year})", h[c.direction], f"{shares[c.id]:.0%}",
                    f"{central_effect(c, data):+.4g}", f"`{c.mechanism}`"] for c in data.claims.values()])
    out += [backtest.methods_section(lang)]
    out += [f"## {h['claims']}", ""]
    out += [f"- **`{c.id}`** ({', '.join(c.passages)}): {getattr(c.statement, lang)}" for c in data.claims.values()]
    out.append("")

    out += [f"## {h['literature']}", ""]
    for item in data.literature.values():
        link = f" <{item.link}>" if item.link else ""
        authors, title = (item.authors_zh or item.authors, item.title_zh or item.title) if lang == "zh" else (item.authors, item.title)
        out.append(f"- **{item.id}** — {authors} ({item.year}). {title}. {item.venue}.{link}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.methods")
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/METHODS.md is stale")
    args = parser.parse_args(argv)
    text = methods_markdown()
    if args.check:
        current = METHODS_PATH.read_text(encoding="utf-8") if METHODS_PATH.exists() else ""
        if current != text:
            print(f"{METHODS_PATH} is stale: run `make docs`", file=sys.stderr)
            return 1
        return 0
    METHODS_PATH.parent.mkdir(exist_ok=True)
    METHODS_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {METHODS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
