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
        "better": "Better",
        "description": "Description", "increase": "increase", "decrease": "decrease",
        "structure_text": (
            "An annual simulation from the 2021 base year to the horizon (default 2030), in named stages: "
            "calibrate, then each year the policy in force, the segment utilities, the joint solution of "
            "shares and fees, and one reporter per outcome group (`model/market.py`).\n\n"
            "**Demand.** Shoppers in eight segments (preferred wallet × where a purchase starts: directly, or "
            "in one of three traffic pools, a WeChat chat, a Douyin or a Kuaishou video) choose a platform by a "
            "logit rule with indirect network effects; each pool has its own commerce and blocks some platforms' "
            "links (Douyin all but its own since October 2020, Kuaishou all but its own and JD's). Opening to all "
            "opens every pool to every platform; a bilateral deal opens WeChat and Alibaba to each other only. "
            "Online spending has an outside option (offline retail or not buying): what the policy saves "
            "shoppers per RMB grows it at the cited elasticity of online spending, and the new buyers' surplus "
            "is a consumer channel. Every friction, price cut "
            "and fee is money (a fraction of the goods' value) and enters utility multiplied by α, so its RMB "
            "value does not depend on α. Interconnection does not pool platforms' networks: shoppers already "
            "multi-home, and data portability acts through search, switching and fees.\n\n"
            "**Fees.** Marketplaces set merchant fees (commission and advertising) by Bertrand–logit "
            "first-order conditions with pass-through ρ to prices. The largest marketplace's condition gives α "
            "from its observed 2021 take rate ({alpha:.0f} at central values); the others' conditions give "
            "their net costs. A net cost is split into a stated, non-negative real marginal cost and the order's "
            "two-sided value (advertising and group revenue the buyer brings, or subsidies paid to buyers and "
            "creators), a transfer with the platform's other sides that has its own ledger line and is left out "
            "of the total, so moving sales between platforms creates no welfare from bookkeeping. Prices carry "
            "ρ of each platform's fee, measured from 2021's average fee. Fees respond every year to shares, open search (N6) and coordination (N16).\n\n"
            "**Calibration, 2021 only.** δ comes from Berry's inversion so that the 2021 shares and fees are an "
            "exact equilibrium; status-quo trends are the 2020→2021 change in log share from "
            "`data/history.yaml`, netted of network effects per draw. Nothing dated after 2021 enters.\n\n"
            "**Market.** The money base is NBS online physical-goods retail in 2021 (RMB 10,804 bn) times the "
            "platform set's coverage; platform GMV (which counts returns and cancellations) sets shares only. "
            "JD's first-party sales pay no merchant fee; advertising is merchants' acquisition cost and counted "
            "once, as platforms' revenue.\n\n"
            "**Welfare.** Consumer surplus is spending × log-sum / α (Small & Rosen) plus the quality path, less "
            "harms priced on the people they touch, each reported as RMB per person and the number touched: "
            "privacy (shoppers whose data move), fraud (per click of the users who click through commerce links "
            "into conglomerates' apps) and clutter (seconds per view of the commerce links shared in chats, "
            "counted from WeChat-originated orders; a blocked platform's orders were already shared as "
            "copy-paste tokens, so opening adds only the difference). The ledger adds merchants (private domain "
            "and marketplace, before compliance), the compliance cost of safeguards on the flows they govern "
            "(data moved, orders through opened links, payments through a newly accepted wallet; nothing opened, "
            "nothing more than the PIPL baseline already in 2021's margins), offline retailers' margin on sales "
            "that moved online, and every platform including Tencent (WeChat advertising, WeChat Pay, "
            "engagement lost to clutter); fees and prices are transfers between its rows and net out of the "
            "total. Where the consumer gain is a headline, the total (net of transfers) stands beside it. Present values discount the policy years from {first_year} at the discount rate.\n\n"
            "**Bounds.** Each consumer channel is bounded from outside its own value: the fee channel by the "
            "fees shoppers pay, wallet friction by the friction times refused shoppers' spending, links by the "
            "friction times every pool's originated spending, price cuts by merchants' margin on the "
            "comparable-goods slice, quality by the literature's fastest data-driven quality growth (under 1 % a "
            "year; Dolfen et al. 2023) over the years in force, new buyers by the triangle at the largest saving "
            "the other bounds allow. The tests check each value against its bound; no test caps an outcome.\n\n"
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
            "- The outside option moves all new online spending from offline shops (at merchants' gross margin); "
            "purchases that would not have happened at all are not told apart, which understates expansion's "
            "value.\n"
            "- Network effects are kept below the tipping threshold, so the model cannot represent the tipping "
            "N11 fears; the solver would report a second equilibrium if one appeared.\n"
            "- Links in Douyin's and Kuaishou's videos are priced for their friction only: clutter, fraud and "
            "engagement are priced in WeChat's chats, where the documents place them (N13, N14, Z4).\n"
            "- Meituan and local services (Z12), merchants' multi-homing and steering beyond commission "
            "arbitrage, and entry are not modelled. The logit cannot tell a steered buyer from the private "
            "domain's other WeChat-originated buyers, so the arbitrage price cut falls on all of them.\n"
            "- JD's first-party retail is outside the merchant accounting: it pays no fee and its margin is "
            "not in the ledger.\n"
            "- The real marginal cost of an order is one stated figure for every marketplace; how the two-sided "
            "value splits between advertising, group revenue and subsidies is not modelled, and α still depends "
            "on the markup-to-fee ratio, a free parameter (α 29–120 over its range).\n"
            "- Wallet preferences are national payment shares, not each platform's own shoppers'; the 0–100 "
            "risk and clutter indices are physical indicators beside the priced harms, not welfare.\n"
            "- Tencent's engagement loss and users' clutter time may overlap where lost ad views follow lost "
            "attention (RMB 0.3 bn at most).\n"
            "- The link gain is not invariant to splitting a friction between its size and its slice: a larger "
            "friction drives more of the slice away from blocked platforms beforehand (selection); its bound is.\n"
            "- The WeChat-originated share of purchases, the link and wallet frictions, privacy and clutter "
            "harms, the independent WeChat stores' GMV and Douyin's take rate have no audited source: their "
            "ranges are wide, and the tornado and the findings' shares show what depends on them.\n"
            "- HHI and the Anti-Monopoly Law share presumptions are drawn on shares within this platform set: "
            "reference lines, not a defined relevant market."),
        "pools": "The second text's list (N5): what is modelled",
        "pools_text": (
            "The second text asks whether real interconnection will go beyond Alibaba and Tencent "
            "(“真正的互联互通不应该止于阿里和腾讯的开放”). Its list, item by item:\n\n"
            "- **Taobao and Douyin** (Douyin banned Taobao links in 2020): modelled. Douyin and Kuaishou are "
            "traffic pools with their own commerce; opening to all opens them to every platform's links, "
            "Taobao's included, and opens WeChat to Douyin's and Kuaishou's stores. The other direction, links "
            "from inside Taobao into Douyin's or Kuaishou's stores, is not modelled: purchases are not modelled "
            "as starting in a marketplace and ending in another one.\n"
            "- **Alibaba and PDD**: modelled through the same opening: PDD's links are open in WeChat since "
            "2019, shut in Douyin; wallets: PDD takes both.\n"
            "- **Ele.me and WeChat Pay**, **Meituan and data**: not modelled. Food delivery and local services "
            "are not in NBS online physical-goods retail, the money base of every figure; adding them needs "
            "their own market, fees (12–26 %) and riders, not a parameter.\n"
            "- **Cainiao and SF** (logistics): not modelled. The model's platforms compete for shoppers and "
            "merchants; parcel networks are an input market with its own economics (density, capacity), "
            "outside what the two texts argue about links, wallets and data.\n"),
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
        "better": "更好方向",
        "description": "说明", "increase": "上升", "decrease": "下降",
        "structure_text": (
            "从2021年基年逐年模拟至设定年份（默认2030年），分为命名的阶段：校准，然后每年依次为实施中的政策、"
            "各群体效用、份额与费率的联合求解，以及每个结果组一个报告函数（`model/market.py`）。\n\n"
            "**需求。** 八个消费者群体（偏好的钱包 × 购买的起点：直接，或三个流量池之一——微信聊天、抖音或快手视频）"
            "按含间接网络效应的 logit 规则选择平台；每个流量池有自己的电商，并屏蔽部分平台的链接（抖音自2020年10月起只留自家，"
            "快手只留自家与京东）。向所有平台开放时每个流量池向每个平台开放；双边协议只让微信与阿里相互开放。"
            "网上消费有外部选项（线下零售或不购买）：政策为消费者每元节省的金额按所引弹性扩大网上消费，新增网购的剩余是一个消费者渠道。"
            "所有摩擦、降价和费用都以金额计（占商品价值的比例），乘以 α 进入效用，因此其人民币价值与 α 无关。"
            "互联互通不合并各平台的网络：消费者本已多平台购物，数据可携带通过搜索、转换与费用起作用。\n\n"
            "**费用。** 电商平台按 Bertrand–logit 一阶条件设定商家费用（佣金与广告），按传导率 ρ 传至价格。"
            "最大平台的条件由其2021年实际费率给出 α（中值下为 {alpha:.0f}）；其他平台的条件给出其净成本。"
            "净成本分为标明的非负实际边际成本与订单的双边价值（买家带来的广告与集团收入，或向买家和创作者支付的补贴）；"
            "后者是平台与其另一边之间的转移，在账本中单列、不计入合计，因此在平台间转移销售不会凭记账产生福利。"
            "价格包含各平台费率的比例 ρ，以2021年平均费率为基准。"
            "费率每年随份额、开放搜索（N6）与协调（N16）变化。\n\n"
            "**校准只用2021年及以前的数据。** δ 由 Berry 反演确定，使2021年的份额与费率恰为均衡；现状趋势为"
            " `data/history.yaml` 中2020→2021年份额对数的变化，并在每次抽样中扣除网络效应。不使用2021年以后的任何数据。\n\n"
            "**市场。** 货币基数为2021年国家统计局实物商品网上零售额（108042亿元）乘以平台集合的覆盖率；"
            "平台 GMV（含退货与取消订单）只用于计算份额。京东自营销售不付商家费用；广告是商家的获客成本，"
            "只作为平台收入计一次。\n\n"
            "**福利。** 消费者剩余 = 支出 × 对数和 / α（Small 与 Rosen）加质量路径，减去按所触及人群定价的损害，"
            "每项均报告每人金额与受影响人数：隐私（数据流动的网购者）、诈骗（按通过电商链接点击进入综合集团应用的点击计）"
            "与杂乱（按聊天中分享的电商链接每次浏览的秒数计，由源自微信的订单推算；被屏蔽平台的订单原已以口令分享，"
            "开放只增加差额）。账本加上商家（私域与平台，未扣合规成本）、保障规则在其约束的流动上的合规成本"
            "（数据流动、经开放链接的订单、经新接受钱包的支付；没有开放就不超出2021年利润率中已含的个人信息保护法基线）、"
            "线下零售商在转到线上的销售上损失的利润，以及各平台（含腾讯：微信广告、微信支付、杂乱导致的活跃度损失）；"
            "费用与价格是各行之间的转移，在总计中抵消。消费者收益作为主要指标之处，均并列扣除转移后的合计。现值把自{first_year}年起的政策年份按贴现率折现。\n\n"
            "**上限。** 每个消费者渠道的上限都来自其自身数值之外：费用渠道以消费者支付的费用为限，钱包摩擦以摩擦乘以"
            "被拒消费者的支出为限，外链以摩擦乘以各流量池起始的支出为限，降价以可比商品切片上的商家利润为限，"
            "质量以文献中数据驱动质量提升的最快速度（每年不足1%；Dolfen 等 2023）乘以实施年数为限，新增网购以其他上限所允许的最大节省下的三角为限。"
            "测试逐项核对数值不超过上限；没有测试给结果设上限。\n\n"
            "**归因。** 开放范围只限定其他杠杆的作用范围，本身不起作用，因此不作为 Shapley 参与者：每个结果的变化在"
            "所选范围下按精确 Shapley 值分配给 {players} 个政策杠杆（{coalitions} 个组合一次批量运行，各项之和等于总变化），"
            "范围效应单独报告：相同杠杆在另一种范围下的差异。\n\n"
            "**不确定性。** 蒙特卡洛对每个参数从 [低, 高] 上众数为中值的三角分布抽样（种子 {seed}，{draws} 次）；"
            "α、净成本与趋势在每次抽样内推导，随其所依赖的费率、传导率和网络效应变化。现状与情景共享每次抽样。"
            "中位数与中值并列报告。求解器从倾斜初值重新求解最后一年，并报告任何第二个均衡。"),
        "limits": "模型不主张什么",
        "limits_text": (
            "- 本模型是对两份文献论点的校准模型，而非预测：份额只通过所引用的机制与2020→2021年趋势变化。\n"
            "- 外部选项把全部新增网上消费视为从线下商店转来（按商家毛利计损失）；未区分原本不会发生的购买，因而低估扩张的价值。\n"
            "- 网络效应保持在倾覆阈值以下，因此模型无法表现 N11 担心的倾覆；若出现第二个均衡，求解器会报告。\n"
            "- 抖音、快手视频中的链接只计其摩擦：杂乱、诈骗与活跃度按文献所指，计在微信聊天中（N13、N14、Z4）。\n"
            "- 未建模：美团与本地生活（Z12）、佣金套利以外的商家多平台经营与引流、新进入。logit 无法区分被引导的买家与私域其他源自微信的买家，"
            "因此套利降价落在他们全体身上。\n"
            "- 京东自营不在商家账目之内：不付费用，其利润不计入账本。\n"
            "- 订单的实际边际成本对各电商平台取同一标明数值；双边价值在广告、集团收入与补贴之间如何划分未建模，"
            "α 仍取决于加价与费率之比这一自由参数（其区间内 α 为29—120）。\n"
            "- 钱包偏好取全国支付份额，而非各平台自身消费者的份额；0—100 的风险与杂乱指数是与已定价损害并列的实物指标，不是福利。\n"
            "- 腾讯的活跃度损失与用户的杂乱时间在广告浏览随注意力减少时可能重叠（至多3亿元）。\n"
            "- 外链收益不随把摩擦在大小与切片之间重新划分而保持不变：更大的摩擦事先把更多切片推离被屏蔽平台（选择效应）；其上限则不变。\n"
            "- 源自微信的购买比例、外链与钱包摩擦、隐私与杂乱损害、独立微信店铺 GMV 与抖音费率没有经审计的来源："
            "区间较宽，龙卷风图与各发现的成立比例显示哪些结果依赖于它们。\n"
            "- HHI 与《反垄断法》份额推定线按本平台集合内的份额绘制：仅作参考线，并非界定的相关市场。"),
        "pools": "第二篇文本列出的问题（N5）：哪些已建模",
        "pools_text": (
            "第二篇文本问真正的互联互通能否超出阿里与腾讯（“真正的互联互通不应该止于阿里和腾讯的开放”）。逐项如下：\n\n"
            "- **淘宝与抖音**（抖音2020年禁止淘宝链接）：已建模。抖音与快手是拥有自有电商的流量池；向所有平台开放时，"
            "它们向每个平台（包括淘宝）的链接开放，微信也向抖音与快手店铺开放。反方向——从淘宝内部链接到抖音或快手店铺——未建模："
            "模型不描述始于一个电商平台、终于另一个电商平台的购买。\n"
            "- **阿里与拼多多**：通过同一开放建模：拼多多链接自2019年起在微信内开放，在抖音内被屏蔽；钱包方面拼多多两者都接受。\n"
            "- **饿了么与微信支付**、**美团与数据**：未建模。外卖与本地生活不在国家统计局实物商品网上零售额之内，而后者是所有数字的货币基数；"
            "纳入它们需要其自身的市场、费率（12%—26%）与骑手，而不是一个参数。\n"
            "- **菜鸟与顺丰**（物流）：未建模。模型中的平台争夺消费者与商家；快递网络是有其自身经济规律（密度、运力）的投入品市场，"
            "不属于两篇文本关于链接、钱包与数据的论证范围。\n"),
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
    out += [f"## {h['pools']}", "", h["pools_text"], ""]
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
                  [[f"`{o.id}`", getattr(o.label, lang), getattr(data.units[o.unit], lang), o.better, getattr(o.description, lang)]
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
                    f"{c.lever}: {c.from_value} → {c.to_value}" if c.lever
                    else ", ".join(f"{k}: {v}" for k, v in c.context.items()) if c.kind == "package" else c.kind,
                    f"`{c.outcome}` ({c.year})", h[c.direction], f"{shares[c.id]:.0%}",
                    f"{central_effect(c, data):+.4g}", f"`{c.mechanism}`"] for c in data.claims.values()])
    out += [backtest.methods_section(lang)]
    out += [f"## {h['claims']}", ""]
    out += [f"- **`{c.id}`** ({', '.join(c.passages)}): {getattr(c.statement, lang)}" for c in data.claims.values()]
    out.append("")

    out += [f"## {h['literature']}", ""]
    for item in data.literature.values():
        link = f" <{item.link}>" if item.link else ""
        out.append(f"- **{item.id}** — {item.authors} ({item.year}). {item.title}. {item.venue}.{link}")
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
