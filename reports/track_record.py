"""The back-test in words, in both languages: the METHODS section and "what the model got wrong",
written from `model.backtest`'s numbers as they came out (nothing here is pinned or tuned).
The track-record panel (ui/track_record.py) shows the same sentences."""
from __future__ import annotations

from model import backtest, history, trends
from model.data import ModelData, default_data

TEXTS = {
    "en": {
        "title": "Track record: did the model see it coming?",
        "method": (
            "The model is calibrated on nothing after 2021: the base year and the trends come from the 2018–2021 "
            "figures in `data/history.yaml` (Alibaba's calendar 2021 is derived from its fiscal years and so "
            "reaches into the first quarter of 2022, the one exception, flagged there), and a test fails if "
            "changing any later figure changes a parameter, a preset's output or a band. Each platform's trend "
            "takes a shock every year with the dispersion of its own 2019–2021 changes (pooled, {pooled:.3f} in "
            "log share, for a platform with one change), correlated only as estimated from those years; Douyin "
            "and Kuaishou follow a logistic diffusion fitted on their pre-2022 shares. The drift estimator was "
            "chosen by a pseudo-out-of-sample test inside the calibration years (fit through {fit}, score "
            "{scored}): {chosen} (CRPS {best:.2f} share points against {worst:.2f} for the worst variant). "
            "From that calibration the model runs `scenarios/what-happened.yaml` (the dated steps of "
            "2021–2024) and the status quo and is compared with the GMV shares reported for {years}, within "
            "the platforms with a figure that year ({draws:,} draws). A reported figure carries a measurement "
            "error by its confidence flag, declared before any comparison (standard deviation of log GMV: "
            "{filing:.0%} for a filing, {press:.0%} for a press estimate), so the bands are of what would be "
            "reported. The benchmark is a naive random walk with drift on log shares, fitted on 2018–2021 "
            "(each platform's mean change, one pooled dispersion). Scores: CRPS and the 80 % interval score "
            "(P10–P90) in share points, lower is better [Gneiting & Raftery 2007]. Post-2021 figures are "
            "compared against, never fitted; the scores are reported as they came out."),
        "summary": (
            "Model: mean absolute error {mae:.1f} points; CRPS {crps:.2f}; interval score {interval:.1f}; "
            "{inside} of {rows} reported shares inside P10–P90 ({coverage:.0%}; 80 % expected). Naive random "
            "walk: CRPS {naive_crps:.2f}; interval score {naive_interval:.1f}; {naive_inside} of {rows} inside "
            "({naive_coverage:.0%}). The status-quo run scores alike (CRPS {sq_crps:.2f}, interval score "
            "{sq_interval:.1f})."),
        "worse": ("The model's bands are still worse than the naive forecast's (interval score {interval:.1f} "
                  "against {naive_interval:.1f}, CRPS {crps:.2f} against {naive_crps:.2f}): read them as the spread "
                  "of the model's own assumptions, not as a forecast better than extrapolating the 2018–2021 trends."),
        "better": ("The model's bands score no worse than the naive forecast's (interval score {interval:.1f} "
                   "against {naive_interval:.1f}, CRPS {crps:.2f} against {naive_crps:.2f})."),
        "table": "Every comparison, the model beside the naive random walk",
        "columns": ["Year", "Platform", "Reported", "Model", "Model P10–P90", "Model CRPS", "Naive",
                    "Naive P10–P90", "Naive CRPS", "Source"],
        "wrong_title": "What the model got wrong, and why",
        "biggest": "The largest miss is {platform} in {year}: modelled {modelled:.1%} against {reported:.1%} reported ({error:+.1f} points).",
        "leader_high": (
            "It keeps the 2021 leader's share too high in every year: its trend is the 2020→2021 change fading "
            "by trend_persistence, and the link opening sends WeChat traffic to Taobao, while what happened was "
            "challengers taking share on price (Pinduoduo) and content commerce (Douyin)."),
        "entrants": (
            "It misses Douyin's take-off: the logistic fitted on 2019–2021 put Kuaishou close to its ceiling "
            "(its log-share change fell from +1.63 to +0.40 in a year) and Douyin, whose two press figures "
            "cannot fix a ceiling, takes Kuaishou's rate; Douyin kept growing ({reported:.1%} reported in "
            "{year} against {modelled:.1%} modelled, P90 {p90:.1%}). A share's take-off that lasts and one that "
            "fades look alike in two or three years of data."),
        "policy_small": (
            "The policy steps move the modelled shares by at most {policy:.1f} points against the status quo, "
            "while the misses average {mae:.1f}: what the model gets wrong is the trend, not the policy."),
        "bands": (
            "The bands cover {coverage:.0%} of the reports (80 % expected): they hold each platform's own "
            "historical scatter, its yearly shocks and the reports' "
            "measurement error, but not shocks larger than 2018–2021 showed (the 2022 lockdowns, the price war "
            "of 2023–24)."),
        "data_gaps": ("The comparison is only as good as the reports: {gaps}; {press} of the {rows} reported "
                      "figures compared are press estimates, which the companies did not confirm."),
        "gap": "{year} has no figure for {platforms}",
        "separator": ", ", "gap_join": "; ",
    },
    "zh": {
        "title": "历史检验：模型能否预见？",
        "method": (
            "模型只用2021年及以前的数据校准：基期与趋势来自 `data/history.yaml` 中2018–2021年的数字（阿里的2021自然年由财年推算，"
            "因而涉及2022年一季度，这是唯一的例外，已在该文件中标注）；若改变任何更晚的数字会改变某个参数、某个预设情景的结果或某个区间，测试即失败。"
            "各平台的趋势每年受到冲击，离散度取其2019–2021年自身的变化（只有一次变化的平台取合并值，份额对数 {pooled:.3f}），"
            "平台间的相关只按这几年估计；抖音与快手按其2022年前份额拟合的 logistic 扩散增长。漂移的估计方法由校准年份内的伪样本外检验选定"
            "（拟合至{fit}年，检验{scored}年）：{chosen}（CRPS {best:.2f} 个份额点，最差方法为 {worst:.2f}）。"
            "以此校准运行 `scenarios/what-happened.yaml`（2021–2024年实际发生的各步政策）与现状情景，并与{years}年公布的 GMV "
            "份额比较，份额在当年有公布数字的平台之内计算（{draws:,} 次抽样）。公布数字按其可信度带有测量误差，在任何比较之前声明"
            "（GMV 对数的标准差：公司披露 {filing:.0%}，媒体估计 {press:.0%}），因此区间是针对公布值的。基准是对份额对数的朴素带漂移随机游走，"
            "以2018–2021年拟合（各平台的平均变化，合并离散度）。评分：CRPS 与80%区间评分（P10–P90），单位为份额点，越低越好"
            "［Gneiting 与 Raftery 2007］。2021年以后的数字只用于比较，从不用于拟合；评分如实报告。"),
        "summary": (
            "模型：平均绝对误差 {mae:.1f} 个百分点；CRPS {crps:.2f}；区间评分 {interval:.1f}；{rows} 个公布份额中有 {inside} 个落在 "
            "P10–P90 区间内（{coverage:.0%}；应为80%）。朴素随机游走：CRPS {naive_crps:.2f}；区间评分 {naive_interval:.1f}；"
            "{rows} 个中有 {naive_inside} 个在区间内（{naive_coverage:.0%}）。现状情景的评分相近（CRPS {sq_crps:.2f}，区间评分 {sq_interval:.1f}）。"),
        "worse": ("模型的区间仍不如朴素预测（区间评分 {interval:.1f} 对 {naive_interval:.1f}，CRPS {crps:.2f} 对 {naive_crps:.2f}）："
                  "应把它们看作模型自身假设的离散范围，而不是比延续2018–2021年趋势更好的预测。"),
        "better": ("模型的区间评分不差于朴素预测（区间评分 {interval:.1f} 对 {naive_interval:.1f}，CRPS {crps:.2f} 对 {naive_crps:.2f}）。"),
        "table": "全部比较：模型与朴素随机游走并列",
        "columns": ["年份", "平台", "公布", "模型", "模型 P10–P90", "模型 CRPS", "朴素", "朴素 P10–P90", "朴素 CRPS", "来源"],
        "wrong_title": "模型错在哪里，为什么",
        "biggest": "误差最大的是{year}年的{platform}：模型 {modelled:.1%}，公布 {reported:.1%}（{error:+.1f} 个百分点）。",
        "leader_high": (
            "模型每年都把2021年领先者的份额保持得过高：其趋势是2020→2021年的变化按趋势持续度衰减，外链开放又把微信流量导向淘宝；"
            "而实际发生的是挑战者凭低价（拼多多）和内容电商（抖音）夺取份额。"),
        "entrants": (
            "模型错过了抖音的起飞：以2019–2021年拟合的 logistic 曲线认为快手已接近上限（其份额对数变化一年内从+1.63降到+0.40），"
            "抖音只有两个媒体数字、无法确定上限，沿用快手的速率；而抖音持续增长（{year}年公布 {reported:.1%}，模型 {modelled:.1%}，"
            "P90 {p90:.1%}）。两三年的数据分不清持续的起飞与消退的起飞。"),
        "policy_small": (
            "与现状相比，政策步骤对模型份额的影响最多 {policy:.1f} 个百分点，而误差平均为 {mae:.1f} 个百分点："
            "模型错在趋势，而不在政策。"),
        "bands": (
            "区间覆盖了 {coverage:.0%} 的公布数字（应为80%）：它们包含各平台自身的历史波动、年度冲击与公布数字的测量误差，"
            "但不包含比2018–2021年更大的冲击（2022年封控、2023–24年价格战）。"),
        "data_gaps": "比较的质量取决于公布数字：{gaps}；所比较的 {rows} 个公布数字中有 {press} 个是未经公司确认的媒体估计。",
        "gap": "{year}年缺少{platforms}的数字",
        "separator": "、", "gap_join": "；",
    },
}


def _name(pid: str, lang: str, data: ModelData) -> str:
    return getattr(next(p for p in data.platforms if p.id == pid).short, lang)


def _inside(rows: list[dict], key: str | None = None) -> int:
    return sum((r[key] if key else r)["p10"] <= r["reported"] <= (r[key] if key else r)["p90"] for r in rows)


def summary_text(result: backtest.Backtest, lang: str) -> str:
    """The scores of the model and of the naive random walk, in a paragraph."""
    model, sq = backtest.summary(result.rows), backtest.summary(result.status_quo_rows)
    naive = model["benchmark"]
    return TEXTS[lang]["summary"].format(
        mae=model["mean_abs_error_pp"], crps=model["crps"], interval=model["interval_score"],
        inside=_inside(result.rows), rows=len(result.rows), coverage=model["coverage"],
        naive_crps=naive["crps"], naive_interval=naive["interval_score"],
        naive_inside=_inside(result.rows, "benchmark"), naive_coverage=naive["coverage"],
        sq_crps=sq["crps"], sq_interval=sq["interval_score"])


def model_is_worse(result: backtest.Backtest) -> bool:
    """Whether the model's bands score worse than the benchmark's on either proper score."""
    model = backtest.summary(result.rows)
    return (model["interval_score"] > model["benchmark"]["interval_score"]
            or model["crps"] > model["benchmark"]["crps"])


def verdict(result: backtest.Backtest, lang: str) -> str:
    model = backtest.summary(result.rows)
    naive = model["benchmark"]
    return TEXTS[lang]["worse" if model_is_worse(result) else "better"].format(
        interval=model["interval_score"], naive_interval=naive["interval_score"], crps=model["crps"],
        naive_crps=naive["crps"])


def lessons(result: backtest.Backtest, lang: str = "en", data: ModelData | None = None) -> list[str]:
    """What the model got wrong and why, from this run's numbers."""
    data, words = data or default_data(), TEXTS[lang]
    rows, out = result.rows, []
    if not rows:
        return out
    worst = max(rows, key=lambda r: abs(r["error_pp"]))
    out.append(words["biggest"].format(year=worst["year"], platform=_name(worst["outcome"][6:], lang, data),
                                       modelled=worst["modelled"], reported=worst["reported"], error=worst["error_pp"]))
    leader = data.platforms[0].id
    leader_errors = [r["error_pp"] for r in rows if r["outcome"] == f"share.{leader}"]
    if leader_errors and min(leader_errors) > 0:
        out.append(words["leader_high"])
    douyin = [r for r in rows if r["outcome"] == "share.douyin"]
    if douyin and douyin[-1]["reported"] > douyin[-1]["p90"]:
        last = douyin[-1]
        out.append(words["entrants"].format(year=last["year"], reported=last["reported"], modelled=last["modelled"],
                                            p90=last["p90"]))
    mae = backtest.summary(rows)["mean_abs_error_pp"]
    policy = max(abs(a["modelled"] - b["modelled"]) for a, b in zip(rows, result.status_quo_rows)) * 100
    if policy < mae:
        out.append(words["policy_small"].format(policy=policy, mae=mae))
    out.append(words["bands"].format(coverage=backtest.summary(rows)["coverage"]))
    gaps = []
    for year in backtest.BACKTEST_YEARS:
        missing = [p.id for p in data.platforms if p.id not in history.reported_shares(year)
                   and p.id != data.baseline.private_domain_platform]  # never reported: said in the method
        gaps.append(words["gap"].format(year=year, platforms=words["separator"].join(
            _name(pid, lang, data) for pid in missing)))
    press = sum("press estimate" in r["source"] for r in rows)
    out.append(words["data_gaps"].format(gaps=words["gap_join"].join(gaps), press=press, rows=len(rows)))
    return out


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|")


def methods_section(lang: str = "en", result: backtest.Backtest | None = None, data: ModelData | None = None) -> str:
    """The METHODS section (Markdown) in `lang`: method, scores beside the benchmark, every comparison,
    what went wrong."""
    data, words = data or default_data(), TEXTS[lang]
    result = result or backtest.backtest(data)
    settings = trends.load_settings()
    scores = settings.method.scores
    chosen = trends.chosen_variant(settings)
    lines = [f"## {words['title']}", "",
             words["method"].format(
                 pooled=data.parameters["trend_sd_pooled"].central, fit=settings.method.fit_through,
                 scored=settings.method.scored_year, chosen=getattr(chosen.label, lang), best=scores[chosen.id],
                 worst=max(scores.values()),
                 years="–".join(map(str, (backtest.BACKTEST_YEARS[0], backtest.BACKTEST_YEARS[-1]))),
                 draws=data.baseline.uncertainty.draws, filing=trends.observation_sd("filing"),
                 press=trends.observation_sd("press_estimate")), "",
             summary_text(result, lang), "", f"**{verdict(result, lang)}**", "",
             f"### {words['table']}", "",
             "| " + " | ".join(words["columns"]) + " |", "|" + "---|" * len(words["columns"])]
    for r in result.rows:
        naive = r["benchmark"]
        cells = [r["year"], _name(r["outcome"][6:], lang, data), f"{r['reported']:.1%}", f"{r['modelled']:.1%}",
                 f"{r['p10']:.1%}–{r['p90']:.1%}", f"{r['crps']:.2f}", f"{naive['median']:.1%}",
                 f"{naive['p10']:.1%}–{naive['p90']:.1%}", f"{naive['crps']:.2f}", r["source"]]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines += ["", f"### {words['wrong_title']}", ""] + [f"- {item}" for item in lessons(result, lang, data)]
    return "\n".join(lines) + "\n"
