"""docs/METHODS.md is generated from data/ and must be current."""
from reports.methods import METHODS_PATH, methods_markdown


def test_methods_document_is_current(data):
    assert METHODS_PATH.read_text(encoding="utf-8") == methods_markdown(data), "run `make docs`"


def test_methods_lists_every_parameter_and_mechanism_in_both_languages(data):
    for lang in ("en", "zh"):
        text = methods_markdown(data, lang)
        for pid in data.parameters:
            assert f"`{pid}`" in text
        for mechanism in data.mechanisms.values():
            assert getattr(mechanism.label, lang) in text
    assert "| `network_effect` | Network effect strength | utility per unit of GMV share | 0.5 | 1 | 1.5 |" in \
        methods_markdown(data, "en")


def test_reliability_table_lists_the_current_corpus():
    from bench.reliability import DOC, render
    current = DOC.read_text(encoding="utf-8")
    assert current == render(current), "run `python -m bench.reliability`"
