"""docs/METHODS.md and the dashboard's Method page, both rendered from data/ by `methods_markdown`.

`python -m model.docs` rewrites docs/METHODS.md; `--check` exits 1 when the file is stale.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .data import ModelData, default_data
from .market import base_shares
from .engine import parameter_batch

METHODS_PATH = Path(__file__).resolve().parent.parent / "docs" / "METHODS.md"

HEADINGS = {
    "en": {
        "title": "Method", "generated": "Generated from `data/` by `python -m model.docs`; do not edit by hand.",
        "structure": "Structure of the model", "levers": "Levers", "mechanisms": "Mechanisms",
        "outcomes": "Outcomes", "parameters": "Parameters", "baseline": "Baseline (2021)",
        "figures": "Figures quoted from the documents", "claims": "Argument map (claims)",
        "literature": "Published sources", "arguments": "Arguments", "passages": "Passages",
        "sources": "Sources", "uses": "Parameters", "lever": "Lever", "kind": "Kind", "status_quo": "Status quo",
        "id": "Id", "label": "Label", "unit": "Unit", "low": "Low", "central": "Central", "high": "High",
        "source": "Source", "range": "How the range was chosen", "platform": "Platform", "gmv": "GMV 2021 (RMB bn)",
        "share": "Share", "access": "Open in WeChat 2021", "raw": "Raw text", "value": "Read as",
        "confidence": "Confidence", "reading": "Reading", "outcome": "Outcome", "direction": "Direction",
        "robust": "Robust (≥ 90 % of draws)", "yes": "yes", "no": "no", "better": "Better",
        "description": "Description", "increase": "increase", "decrease": "decrease",
        "structure_text": (
            "An annual simulation from the 2021 baseline to the horizon (default 2030). Each year shoppers "
            "choose among the platforms by a logit rule with network effects; the shares solve a fixed point "
            "(Newton steps with a fixed-point fallback, tolerance 1e-12), warm-started from the year before. "
            "The constants δ make the 2021 shares an exact equilibrium of the status quo, so every "
            "difference is the policy's. In every single run the solver re-solves the final year from "
            "starts where one platform holds 90 % of the market and reports any second equilibrium.\n\n"
            "**Attribution.** The change in each outcome is split among the five levers by the exact Shapley "
            "value: the 2⁵ = 32 lever coalitions run as one batch, and the contributions sum to the total "
            "change.\n\n"
            "**Uncertainty.** Monte Carlo draws every parameter independently from a triangular distribution "
            "on [low, high] with its mode at the central value (seed {seed}, {draws:,} draws), giving P10, P50 "
            "and P90 paths; the tornado moves one parameter at a time to its low and high values."),
        "limits": "What the model does not claim",
        "limits_text": (
            "- It is a calibrated illustration of the documents' arguments, not a forecast: shares move "
            "only through the cited mechanisms and the status-quo trends.\n"
            "- Market size grows at one rate in every scenario, so effects are shifts between platforms "
            "and in surplus, not a bigger market.\n"
            "- Consumer surplus counts the compatibility benefit of interconnected networks (Katz–Shapiro) "
            "through the logit log-sum; with deep data sharing across all platforms this is the largest "
            "consumer term, and it scales with `data_interop_degree` and `network_effect`.\n"
            "- Privacy, clutter, content, innovation and collusion are 0–100 indices anchored on "
            "assumptions; read their changes, not their levels.\n"
            "- The independent WeChat stores' GMV, small merchants' slice of marketplace GMV and "
            "Douyin's and Kuaishou's take rates have no audited source; their ranges are wide and the "
            "tornado shows what depends on them.\n"
            "- Claims marked contested (not robust) are the points where the documents disagree; the "
            "Monte Carlo shows how often each side holds."),
    },
    "zh": {
        "title": "方法", "generated": "由 `python -m model.docs` 根据 `data/` 生成，请勿手工编辑。",
        "structure": "模型结构", "levers": "政策杠杆", "mechanisms": "机制", "outcomes": "结果指标",
        "parameters": "参数", "baseline": "基线（2021年）", "figures": "文献中的数字",
        "claims": "论点图（命题）", "literature": "已发表文献", "arguments": "论点", "passages": "段落",
        "sources": "来源", "uses": "参数", "lever": "杠杆", "kind": "类型", "status_quo": "现状",
        "id": "编号", "label": "名称", "unit": "单位", "low": "低", "central": "中", "high": "高",
        "source": "来源", "range": "区间依据", "platform": "平台", "gmv": "2021年GMV（十亿元）",
        "share": "份额", "access": "2021年在微信内可打开", "raw": "原文", "value": "解读为",
        "confidence": "可信度", "reading": "解读", "outcome": "结果", "direction": "方向",
        "robust": "稳健（≥90%抽样成立）", "yes": "是", "no": "否", "better": "更好方向",
        "description": "说明", "increase": "上升", "decrease": "下降",
        "structure_text": (
            "从2021年基线逐年模拟至设定年份（默认2030年）。每年消费者按含网络效应的 logit 规则选择平台；"
            "份额由不动点求解（牛顿法，失败时退回不动点迭代，容差 1e-12），以上一年结果为初值。"
            "常数 δ 使2021年份额恰为现状的均衡，因此所有差异都来自政策。每次单独运行时，求解器从某一平台"
            "占90%市场的初值重新求解最后一年，并报告任何第二个均衡。\n\n"
            "**归因。** 每个结果的变化按精确 Shapley 值分配给五个杠杆：2⁵ = 32 个杠杆组合一次批量运行，"
            "各项贡献之和等于总变化。\n\n"
            "**不确定性。** 蒙特卡洛对每个参数独立地从 [低, 高] 上众数为中值的三角分布抽样（种子 {seed}，"
            "{draws} 次），给出 P10、P50、P90 路径；龙卷风图每次把一个参数移到其低值和高值。"),
        "limits": "模型不主张什么",
        "limits_text": (
            "- 本模型是对两份文献论点的校准演示，而非预测：份额只通过所引用的机制和现状趋势变化。\n"
            "- 各情景的市场规模按同一速度增长，因此影响体现为平台之间和剩余的转移，而非市场做大。\n"
            "- 消费者剩余通过 logit 对数和计入互联网络的兼容收益（Katz–Shapiro）；在全平台深度数据共享时，"
            "这是最大的消费者项，并随 `data_interop_degree` 与 `network_effect` 变化。\n"
            "- 隐私、杂乱、内容、创新和合谋均为以假设为锚的 0—100 指数；应解读其变化而非水平。\n"
            "- 独立微信店铺的 GMV、平台 GMV 中中小商家的比例以及抖音、快手的佣金率没有经审计的来源；"
            "其区间较宽，龙卷风图显示哪些结果依赖于它们。\n"
            "- 标为有争议（非稳健）的命题正是两份文献的分歧之处；蒙特卡洛显示各方成立的频率。"),
    },
}


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines + [""]


PLACES = {"en": {"line": "line {}", "¶": "¶{}"}, "zh": {"line": "第{}行", "¶": "第{}段"}}


def place(location: str, lang: str) -> str:
    """"line 29" or "¶8" in the reader's language."""
    kind, number = ("line", location.removeprefix("line ")) if location.startswith("line ") else ("¶", location[1:])
    return PLACES[lang][kind].format(number)


def reference_text(data: ModelData, passages=(), literature=(), lang: str = "en") -> str:
    """Passage ids with their place, and literature as "Author year"."""
    parts = [f"{pid} ({place(data.passages[pid].location, lang)})" for pid in passages]
    for lid in literature:
        item = data.literature[lid]
        parts.append(f"{item.authors.split(',')[0]} {item.year}" if item.year else item.title)
    return "; ".join(parts)


def methods_markdown(data: ModelData | None = None, lang: str = "en") -> str:
    """The full method document in English or Chinese."""
    data = data or default_data()
    h = HEADINGS[lang]
    out = [f"# {h['title']}", "", f"_{h['generated']}_", "", f"## {h['structure']}", "",
           h["structure_text"].format(seed=data.baseline.uncertainty.seed, draws=data.baseline.uncertainty.draws), ""]

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

    out += [f"## {h['claims']}", ""]
    out += _table([h["id"], h["arguments"], h["lever"], h["outcome"], h["direction"], h["robust"], h["passages"]],
                  [[f"`{c.id}`", ", ".join(c.arguments),
                    f"{c.lever}: {c.from_value} → {c.to_value}" if c.lever else c.kind,
                    f"`{c.outcome}` ({c.year})", h[c.direction], h["yes"] if c.robust else h["no"],
                    ", ".join(c.passages)] for c in data.claims.values()])

    out += [f"## {h['literature']}", ""]
    for item in data.literature.values():
        link = f" <{item.link}>" if item.link else ""
        out.append(f"- **{item.id}** — {item.authors} ({item.year}). {item.title}. {item.venue}.{link}")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m model.docs")
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
