"""The data files: complete, cited, consistent, and rejected when malformed."""
import shutil
from pathlib import Path

import pytest

from model import trends
from model.data import ARGUMENT_IDS, DATA_DIR, load_data
from model.yamlio import InputError

MODEL_DIR = Path(__file__).resolve().parent.parent / "model"


def test_every_parameter_has_unit_range_and_source(data):
    for p in data.parameters.values():
        for text in (p.unit, p.range_note, p.description, p.label):
            assert text.en.strip() and text.zh.strip(), p.id
        assert p.low <= p.central <= p.high and p.low < p.high, p.id
        assert p.reference.passages or p.reference.literature, p.id


def test_every_argument_is_covered_by_a_claim_and_a_passage(data):
    claimed = {a for c in data.claims.values() for a in c.arguments}
    quoted = {a for p in data.passages.values() for a in p.arguments}
    assert set(ARGUMENT_IDS) - claimed == set()
    assert set(ARGUMENT_IDS) - quoted == set()


def test_claim_passages_support_the_claim(data):
    for claim in data.claims.values():
        supported = {a for pid in claim.passages for a in data.passages[pid].arguments}
        assert supported & set(claim.arguments), claim.id


def test_damaged_figures_keep_raw_text_and_confidence(data):
    wechat = [f for f in data.figures.values() if f.value == pytest.approx(1.251)]
    assert wechat and wechat[0].raw == "12.5438+04亿" and wechat[0].confidence == "likely"
    assert all(f.raw.strip() for f in data.figures.values())


def test_platform_set_and_shares(data):
    ids = [p.id for p in data.platforms]
    assert ids[:6] == ["alibaba", "jd", "pdd", "douyin", "kuaishou", "wechat_private"]


def test_every_mechanism_is_one_public_function_and_back():
    """data/mechanisms.yaml and model/mechanisms.py name the same mechanisms, so neither can drift."""
    from model import mechanisms
    functions = {name for name, value in vars(mechanisms).items()
                 if callable(value) and not name.startswith("_") and value.__module__ == mechanisms.__name__}
    assert functions == set(data_mechanism_ids())


def data_mechanism_ids():
    return list(load_data().mechanisms)


def test_every_mechanism_parameter_is_used_by_the_model(data):
    """A parameter listed under a mechanism is read somewhere in the model's code."""
    code = "".join(path.read_text(encoding="utf-8") for path in MODEL_DIR.glob("*.py"))
    platform_parameters = {x for p in data.platforms for x in (p.take_rate_parameter, p.trend_parameter,
                                                                p.gmv_parameter, p.commissionable_parameter) if x}
    platform_parameters |= {lever.phase_in_parameter for lever in data.levers.values() if lever.phase_in_parameter}
    platform_parameters |= trends.parameters_named()   # read through data/trends.yaml
    for mechanism in data.mechanisms.values():
        for pid in mechanism.parameters:
            assert f'"{pid}"' in code or pid in platform_parameters, f"{mechanism.id}: {pid} is never read"


def test_base_year_figures_match_the_history(data):
    """baseline.yaml's 2021 GMV and data/history.yaml's 2021 records are one fact in two files."""
    from model.history import load_history
    history = load_history()
    for platform in data.platforms:
        if platform.gmv_2021 is not None:
            assert platform.gmv_2021 == pytest.approx(history.record(platform.id, 2021).value), platform.id


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.parametrize("file, old, new, message", [
    ("parameters.yaml", "  - id: network_effect\n", "  - id: network_effect\n    colour: red\n",
     "parameters.yaml.parameters.2.colour: is not a known field"),
    ("parameters.yaml", "  - id: market_growth\n", "  - id: network_effect\n",
     "parameters.yaml: duplicate id 'network_effect'"),
    ("levers.yaml", "passages: [z-p34, z-p35, z-p36]", "passages: [z-p34, z-p999]",
     "levers.yaml:payment_interop: unknown passage id 'z-p999'"),
    ("baseline.yaml", "    gmv_2021: 7631.1\n", "    gmv_2021: 7631.1\n    gmv_2021: 1.0\n",
     "baseline.yaml:line 28, column 5: not valid YAML: duplicate key 'gmv_2021'"),
    ("levers.yaml", "  - id: safeguards\n", "  - id: consumer_safeguards\n",
     "levers.yaml: the model needs a share lever 'safeguards'"),
])
def test_broken_data_files_are_rejected_with_the_place(data_copy, file, old, new, message):
    path = data_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_data(data_copy)
    assert message in [str(p) for p in caught.value.problems]


def test_chinese_texts_differ_wherever_the_english_differs(data):
    """A copied translation (one outcome's Chinese under another's English) is caught here."""
    for items in (list(data.outcomes.values()), list(data.parameters.values())):
        by_zh = {}
        for item in items:
            by_zh.setdefault(item.description.zh, set()).add(item.description.en)
        assert [zh for zh, en in by_zh.items() if len(en) > 1] == []


def test_trend_parameters_are_the_2020_to_2021_share_changes(data):
    """The status-quo trends are calibrated on history up to 2021, nothing later; entrants diffuse
    instead (data/trends.yaml), so they have no trend parameter."""
    from model.calibration import log_share_changes
    from model.trends import load_settings
    changes = log_share_changes(data=data)
    assert set(changes) == {"alibaba", "jd", "pdd", "douyin", "kuaishou"}
    entrants = {e.platform for e in load_settings().entrants}
    for platform in data.platforms:
        assert (platform.trend_parameter is None) == (platform.id in entrants)
        if platform.id in changes and platform.trend_parameter:
            assert data.parameters[platform.trend_parameter].central == pytest.approx(changes[platform.id], abs=5e-4)
    with pytest.raises(ValueError, match="nothing after 2021"):
        log_share_changes(data=data, year=2022)
