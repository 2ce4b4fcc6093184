"""The GMV history: strict loading, the pre-2022 calibration guard, reported within-set shares."""
import dataclasses

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from model.history import (
    CALIBRATION_LAST_YEAR,
    FIRST_YEAR,
    HISTORY_FILE,
    LAST_YEAR,
    calibration_records,
    calibration_table,
    check_calibration_inputs,
    load_history,
    reported_shares,
    reported_values,
    within_set,
)
from model.yamlio import InputError


@pytest.fixture(scope="module")
def history():
    return load_history()


def _variant(tmp_path, edit):
    """A copy of the real history file changed by `edit(document)`, loaded."""
    document = yaml.safe_load(HISTORY_FILE.read_text(encoding="utf-8"))
    edit(document)
    path = tmp_path / "history.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_history(path)


def _platform(document, pid):
    return next(p for p in document["platforms"] if p["platform"] == pid)


def test_every_platform_and_the_market_cover_every_year(history, data):
    assert list(history.platforms) == [p.id for p in data.platforms]
    for records in [history.market.records] + [p.records for p in history.platforms.values()]:
        assert [r.year for r in records] == list(range(FIRST_YEAR, LAST_YEAR + 1))


def test_a_gap_says_why_and_a_figure_says_where_from(history):
    for platform in history.platforms.values():
        for record in platform.records:
            if record.value is None:
                assert record.reason
            else:
                assert record.raw and record.confidence
                assert record.source is not None or record.confidence == "derived"


def test_wechat_private_domain_has_no_figure(history):
    assert all(r.value is None for r in history.platforms["wechat_private"].records)


def test_calibration_inputs_end_by_2021(history):
    records = calibration_records()
    assert records
    assert all(o.year <= CALIBRATION_LAST_YEAR and o.period_end <= "2021-12" for o in records)
    # Alibaba's calendar 2021 leans on its fiscal year to March 2022: never a calibration input.
    assert ("alibaba", 2021) not in {(o.series, o.year) for o in records}
    assert {"jd", "pdd", "kuaishou", "douyin", "alibaba", history.market.id} <= {o.series for o in records}


def test_the_guard_refuses_a_later_figure(history):
    later = history.observation("kuaishou", history.record("kuaishou", 2022))
    with pytest.raises(ValueError, match="kuaishou 2022"):
        check_calibration_inputs(calibration_records() + [later])
    relabelled = dataclasses.replace(calibration_records()[0], period_end="2022-03")
    with pytest.raises(ValueError, match="2022-03"):
        check_calibration_inputs([relabelled])


def test_a_later_cutoff_admits_later_years():
    assert max(o.year for o in calibration_records(last_year=2023)) == 2023


def test_reported_shares_are_within_the_platforms_with_a_figure(history):
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        shares = reported_shares(year)
        values = reported_values(year)
        if len(values) < 2:
            assert shares == {}
            continue
        assert set(shares) == set(values)
        assert sum(shares.values()) == pytest.approx(1.0)
        assert "wechat_private" not in shares
    assert set(reported_shares(2022)) == {"douyin", "kuaishou"}  # Alibaba, JD and PDD published nothing


def test_derived_alibaba_values_are_recomputed(tmp_path):
    def edit(document):
        _platform(document, "alibaba")["records"][1]["value"] = 6500.0
    with pytest.raises(InputError, match="alibaba.2019.*fiscal-year computation"):
        _variant(tmp_path, edit)


def test_a_derived_value_cannot_hide_its_period(tmp_path):
    def edit(document):
        _platform(document, "alibaba")["records"][3]["period_end"] = "2021-12"
    with pytest.raises(InputError, match="period_end must be 2022-03"):
        _variant(tmp_path, edit)


@pytest.mark.parametrize("edit, message", [
    (lambda d: _platform(d, "jd")["records"][4].pop("reason"), "needs a reason"),
    (lambda d: _platform(d, "jd")["records"][4].update(raw="x"), "only year, value, reason"),
    (lambda d: _platform(d, "pdd")["records"][0].update(colour="red"), "not a known field"),
    (lambda d: _platform(d, "pdd")["records"][0].update(value=-1.0), "finite number >= 0"),
    (lambda d: _platform(d, "pdd")["records"][0].update(confidence="rumour"), "confidence"),
    (lambda d: _platform(d, "pdd")["records"][0]["source"].update(published="March 2019"), "YYYY-MM"),
    (lambda d: _platform(d, "pdd")["records"].pop(), "one record per year"),
    (lambda d: d["platforms"].reverse(), "in that order"),
])
def test_bad_history_is_refused_with_the_field(tmp_path, edit, message):
    with pytest.raises(InputError, match=message):
        _variant(tmp_path, edit)


@given(st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.floats(0.01, 1.0), min_size=2))
def test_within_set_shares_sum_to_one(shares):
    subset = sorted(shares)[:2]
    assert sum(within_set(shares, subset).values()) == pytest.approx(1.0)


def test_calibration_table_holds_exactly_the_calibration_records():
    table = calibration_table()
    assert max(table.columns) <= CALIBRATION_LAST_YEAR
    assert int(table.notna().sum().sum()) == len(calibration_records())
    for o in calibration_records():
        assert table.loc[o.series, o.year] == o.value
