"""Did the model see it coming? The 2021-calibrated model run through what happened in 2022–2024,
against the GMV shares reported since (data/history.yaml).

For each year and each platform with a reported figure: the modelled share, the reported share,
the error in percentage points, the Monte Carlo P10–P90 of the modelled share and whether the
reported share falls inside it. Shares are taken within the platforms reported that year (a
platform without a figure is left out of both), per draw for the bands.

The model is calibrated on nothing after 2021 (`history.calibration_records`); post-2021 figures
are only compared against, never fitted.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import engine, history
from .data import ModelData, default_data
from .scenario import Scenario, load_scenario, status_quo

ROOT = Path(__file__).resolve().parent.parent
WHAT_HAPPENED = ROOT / "scenarios" / "what-happened.yaml"
BACKTEST_YEARS = (2022, 2023, 2024)
ROW_KEYS = ("year", "outcome", "modelled", "p10", "p90", "reported", "error_pp", "source")


def _share_draws(scenario: Scenario, data: ModelData, draws: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-draw share paths (draws, years, platforms) and the years: exactly `engine.monte_carlo`'s
    draws and simulation, kept per draw because a within-set share needs each draw's whole vector
    (monte_carlo returns percentiles only)."""
    params = engine.draw_parameters(data, draws, seed, scenario.assumptions)
    sim, paths, batch = engine._paired([scenario.levers] * draws, params, data, scenario.horizon)
    shares = np.stack([paths[f"share.{p.id}"][batch:] for p in data.platforms], axis=2)
    return shares, np.asarray(sim.years)


def _source_line(observation: history.Observation) -> str:
    return f"{observation.source} ({observation.confidence.replace('_', ' ')}, {observation.published})"


def compare(scenario: Scenario, data: ModelData | None = None, draws: int | None = None,
            seed: int | None = None) -> list[dict]:
    """One row per (year, platform with a reported figure), in the contract's keys."""
    data = data or default_data()
    draws = draws or data.baseline.uncertainty.draws
    seed = data.baseline.uncertainty.seed if seed is None else seed
    ids = [p.id for p in data.platforms]
    runs: dict[tuple, tuple] = {}
    rows = []
    for year in BACKTEST_YEARS:
        reported = history.reported_shares(year)
        if not reported:
            continue
        fixed = Scenario(scenario.name, dict(scenario.levers), scenario.description, dict(scenario.assumptions),
                         max(BACKTEST_YEARS))
        if fixed.key() not in runs:
            central = engine.run(fixed, data).scenario_paths
            runs[fixed.key()] = (central, *_share_draws(fixed, data, draws, seed))
        central, draws_shares, years = runs[fixed.key()]
        members = [ids.index(pid) for pid in reported]
        in_set = draws_shares[:, list(years).index(year), members]
        in_set = in_set / in_set.sum(axis=1, keepdims=True)
        modelled = history.within_set({pid: float(central.loc[year, f"share.{pid}"]) for pid in reported}, reported)
        observations = history.reported_values(year)
        for k, pid in enumerate(reported):
            p10, p90 = np.percentile(in_set[:, k], [10, 90])
            rows.append({"year": year, "outcome": f"share.{pid}", "modelled": modelled[pid],
                         "p10": float(p10), "p90": float(p90), "reported": reported[pid],
                         "error_pp": 100.0 * (modelled[pid] - reported[pid]),
                         "source": _source_line(observations[pid])})
    return rows


def summary(rows: list[dict]) -> dict:
    """Mean absolute error (percentage points) and the share of reported values inside P10–P90."""
    if not rows:
        return {"mean_abs_error_pp": None, "coverage": None}
    return {"mean_abs_error_pp": float(np.mean([abs(r["error_pp"]) for r in rows])),
            "coverage": float(np.mean([r["p10"] <= r["reported"] <= r["p90"] for r in rows]))}


@dataclass(frozen=True)
class Backtest:
    scenario: Scenario
    rows: list[dict]
    status_quo_rows: list[dict]

    def to_json(self) -> dict:
        """The `python -m cli backtest --format json` contract (plus the status quo's rows for contrast)."""
        return {"calibrated_through": history.CALIBRATION_LAST_YEAR,
                "scenario": self.scenario.name,
                "rows": self.rows, "summary": summary(self.rows),
                "status_quo": {"rows": self.status_quo_rows, "summary": summary(self.status_quo_rows)}}


def backtest(data: ModelData | None = None, draws: int | None = None, seed: int | None = None,
             path: Path = WHAT_HAPPENED) -> Backtest:
    """What happened and the status quo, each from the 2021 calibration, against the reports."""
    data = data or default_data()
    history.calibration_records()  # raises if anything after 2021 is among the calibration inputs
    scenario = load_scenario(path, data)
    baseline = status_quo(data, horizon=max(BACKTEST_YEARS))
    return Backtest(scenario, compare(scenario, data, draws, seed), compare(baseline, data, draws, seed))


def table(result: Backtest, lang: str = "en") -> pd.DataFrame:
    """The rows as a printable table: shares in %, the band, inside or not, the source."""
    data = default_data()
    short = {f"share.{p.id}": (p.short.en if lang == "en" else p.short.zh) for p in data.platforms}
    frame = pd.DataFrame(result.rows, columns=list(ROW_KEYS))
    return pd.DataFrame({
        "year": frame["year"],
        "platform": frame["outcome"].map(short),
        "modelled %": (100 * frame["modelled"]).round(1),
        "reported %": (100 * frame["reported"]).round(1),
        "error pp": frame["error_pp"].round(1),
        "P10–P90 %": [f"{100 * a:.1f}–{100 * b:.1f}" for a, b in zip(frame["p10"], frame["p90"])],
        "inside": [bool(a <= r <= b) for a, r, b in zip(frame["p10"], frame["reported"], frame["p90"])],
        "source": frame["source"],
    })


def track_record_frame(result: Backtest) -> pd.DataFrame:
    """The figure's data: one row per (scenario, year, platform) with the modelled within-set share,
    its P10–P90, the reported share, the error and whether the report is inside the band."""
    frames = []
    for which, rows in (("what_happened", result.rows), ("status_quo", result.status_quo_rows)):
        frame = pd.DataFrame(rows, columns=list(ROW_KEYS))
        frame.insert(0, "which", which)
        frame.insert(2, "platform", frame["outcome"].str.removeprefix("share."))
        frame["inside"] = (frame["p10"] <= frame["reported"]) & (frame["reported"] <= frame["p90"])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# Bilingual text of the METHODS section and of "what the model gets wrong", as in reports/methods.py.
TEXTS = {
    "en": {
        "title": "Track record: did the model see it coming?",
        "method": (
            "The model is calibrated on nothing after 2021: the base year and the trends are the 2020 and "
            "2021 figures in `data/history.yaml` (Alibaba's calendar 2021 is derived from its fiscal years and "
            "so reaches into the first quarter of 2022, the one exception, flagged there), and a test fails if "
            "a later year is read. From that calibration it runs `scenarios/what-happened.yaml` (the dated steps of "
            "2021–2024, each with its source) and the status quo, and compares the modelled GMV shares "
            "with the reported ones for {years}. Shares are taken within the platforms that have a "
            "reported figure that year, for the model as well (per Monte Carlo draw for the P10–P90 "
            "band, {draws:,} draws); the WeChat private domain never has one. Each dated step phases in "
            "from its own year. Post-2021 figures are compared against, never fitted; the errors are reported as they come out."),
        "summary": ("Mean absolute error {mae:.1f} percentage points over {rows} comparisons; {inside} of "
                    "{rows} reported shares inside the model's P10–P90 ({coverage:.0%}; 80 % expected). "
                    "The status quo run: {sq_mae:.1f} pp, {sq_coverage:.0%}."),
        "table_2023": "Errors in 2023",
        "columns": ["Platform", "Modelled", "Reported", "Error (pp)", "P10–P90", "Inside", "Source"],
        "yes": "yes", "no": "no",
        "wrong_title": "What the model gets wrong, and why",
        "biggest": "The largest miss in {year} is {platform}: modelled {modelled:.1%} against {reported:.1%} reported ({error:+.1f} pp).",
        "leader_high": (
            "It keeps the 2021 leader's share too high: the status-quo trends are one year's change and "
            "fade (trend_persistence), and the link opening sends WeChat traffic to Taobao, while what happened was challengers taking "
            "share on price (Pinduoduo) and content commerce (Douyin), forces the model holds as fading "
            "2021 trends rather than mechanisms."),
        "policy_small": (
            "The policy steps move the modelled shares by at most {policy:.1f} pp against the status quo, "
            "while the misses average {mae:.1f} pp: what the model gets wrong is the trend, not the policy."),
        "bands_narrow": (
            "The P10–P90 bands are too narrow ({coverage:.0%} coverage). They hold parameter uncertainty "
            "only; the trends move together in the draws (one year's change read off one set of shares), "
            "but a single year cannot tell a take-off that lasts (Douyin) from one that fades; they leave out the reported figures' own error (most post-2021 figures are press "
            "estimates with unclear definitions) and the shocks after 2021 (the 2022 lockdowns, the price "
            "war of 2023–24). Widening them needs a documented reason, not these errors."),
        "data_gaps": ("The comparison is only as good as the reports: {gaps}; {press} of the {rows} reported "
                      "figures compared are press estimates, which the companies did not confirm."),
        "gap": "{year} has no figure for {platforms}",
        "separator": ", ", "gap_join": "; ",
    },
    "zh": {
        "title": "历史检验：模型能否预见？",
        "method": (
            "模型只用2021年及以前的数据校准：基期与趋势来自 `data/history.yaml` 中2020与2021年的数字（阿里的2021自然年"
            "由财年推算，因而涉及2022年一季度，这是唯一的例外，已在该文件中标注），若读取更晚的年份，测试即失败。以此校准运行 "
            "`scenarios/what-happened.yaml`（2021–2024年实际发生的各步政策，均注明出处）与现状情景，并将模型的 GMV "
            "份额与{years}年公布的份额比较。份额在当年有公布数字的平台之内计算，模型亦然（P10–P90 区间按每次"
            "蒙特卡洛抽样计算，共 {draws:,} 次）；微信私域从无公布数字。每一步政策自其生效年份起逐步落地。2021年以后的数字只用于比较，从不用于拟合；误差如实报告。"),
        "summary": ("{rows} 项比较的平均绝对误差为 {mae:.1f} 个百分点；{rows} 个公布份额中有 {inside} 个落在模型的 "
                    "P10–P90 区间内（{coverage:.0%}；应为80%）。现状情景：{sq_mae:.1f} 个百分点，{sq_coverage:.0%}。"),
        "table_2023": "2023年的误差",
        "columns": ["平台", "模型", "公布", "误差（百分点）", "P10–P90", "是否在区间内", "来源"],
        "yes": "是", "no": "否",
        "wrong_title": "模型错在哪里，为什么",
        "biggest": "{year}年误差最大的是{platform}：模型 {modelled:.1%}，公布 {reported:.1%}（{error:+.1f} 个百分点）。",
        "leader_high": (
            "模型把2021年领先者的份额保持得过高：现状趋势只是一年的变化且逐渐衰减（trend_persistence），外链开放又把微信流量导向淘宝；"
            "而实际发生的是挑战者凭低价（拼多多）和内容电商（抖音）夺取份额——模型只把这些力量当作逐渐衰减的"
            "2021年趋势，而不是机制。"),
        "policy_small": (
            "与现状相比，政策步骤对模型份额的影响最多 {policy:.1f} 个百分点，而误差平均为 {mae:.1f} 个百分点："
            "模型错在趋势，而不在政策。"),
        "bands_narrow": (
            "P10–P90 区间过窄（覆盖率 {coverage:.0%}）。它只包含参数不确定性；各趋势在抽样中同向变动（同一年的变化、同一组份额），"
            "但单一年份无法区分持续的起飞（抖音）与消退的起飞；"
            "它不包含公布数字本身的误差（2021年后多为口径不清的媒体估计），也不包含2021年后的冲击（2022年封控、"
            "2023–24年价格战）。扩大区间需要有文献依据的理由，而不是这些误差。"),
        "data_gaps": "比较的质量取决于公布数字：{gaps}；所比较的 {rows} 个公布数字中有 {press} 个是未经公司确认的媒体估计。",
        "gap": "{year}年缺少{platforms}的数字",
        "separator": "、", "gap_join": "；",
    },
}
FIGURE_YEAR = 2023  # the year whose errors METHODS and the Explore panel tabulate


def _platform_name(pid: str, lang: str, data: ModelData) -> str:
    platform = next(p for p in data.platforms if p.id == pid)
    return getattr(platform.short, lang)


def lessons(result: Backtest, lang: str = "en") -> list[str]:
    """What the model gets wrong and why, from this run's numbers (nothing here is pinned)."""
    data, words = default_data(), TEXTS[lang]
    rows, out = result.rows, []
    if not rows:
        return out
    year_rows = [r for r in rows if r["year"] == FIGURE_YEAR] or rows
    worst = max(year_rows, key=lambda r: abs(r["error_pp"]))
    out.append(words["biggest"].format(year=worst["year"], platform=_platform_name(worst["outcome"][6:], lang, data),
                                       modelled=worst["modelled"], reported=worst["reported"], error=worst["error_pp"]))
    leader = data.platforms[0].id
    leader_errors = [r["error_pp"] for r in rows if r["outcome"] == f"share.{leader}"]
    if leader_errors and min(leader_errors) > 0:
        out.append(words["leader_high"])
    mae = summary(rows)["mean_abs_error_pp"]
    policy = max(abs(a["modelled"] - b["modelled"]) for a, b in zip(rows, result.status_quo_rows)) * 100
    if policy < mae:
        out.append(words["policy_small"].format(policy=policy, mae=mae))
    coverage = summary(rows)["coverage"]
    if coverage < 0.8:
        out.append(words["bands_narrow"].format(coverage=coverage))
    gaps = []
    for year in BACKTEST_YEARS:
        missing = [p.id for p in data.platforms if p.id not in history.reported_shares(year)
                   and p.id != data.baseline.private_domain_platform]  # never reported: said in the method
        gaps.append(words["gap"].format(year=year, platforms=words["separator"].join(
            _platform_name(pid, lang, data) for pid in missing)))
    press = sum("press estimate" in r["source"] for r in rows)
    out.append(words["data_gaps"].format(gaps=words["gap_join"].join(gaps), press=press, rows=len(rows)))
    return out


def methods_section(lang: str = "en", result: Backtest | None = None) -> str:
    """The METHODS section (Markdown) in `lang`: method, summary, the 2023 errors, what goes wrong."""
    data, words = default_data(), TEXTS[lang]
    result = result or backtest(data)
    rows, sq = result.rows, summary(result.status_quo_rows)
    first = summary(rows)
    lines = [f"## {words['title']}", "",
             words["method"].format(years="–".join(map(str, (BACKTEST_YEARS[0], BACKTEST_YEARS[-1]))),
                                    draws=data.baseline.uncertainty.draws), "",
             words["summary"].format(mae=first["mean_abs_error_pp"], rows=len(rows), coverage=first["coverage"],
                                     inside=sum(r["p10"] <= r["reported"] <= r["p90"] for r in rows),
                                     sq_mae=sq["mean_abs_error_pp"], sq_coverage=sq["coverage"]), "",
             f"### {words['table_2023']}", "",
             "| " + " | ".join(words["columns"]) + " |", "|" + "---|" * len(words["columns"])]
    for row in (r for r in rows if r["year"] == FIGURE_YEAR):
        inside = words["yes"] if row["p10"] <= row["reported"] <= row["p90"] else words["no"]
        cells = [_platform_name(row["outcome"][6:], lang, data), f"{row['modelled']:.1%}", f"{row['reported']:.1%}",
                 f"{row['error_pp']:+.1f}", f"{row['p10']:.1%}–{row['p90']:.1%}", inside,
                 row["source"].replace("|", "\\|")]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"### {words['wrong_title']}", ""] + [f"- {item}" for item in lessons(result, lang)]
    return "\n".join(lines) + "\n"
