"""The generated documents (docs/METHODS.md, docs/RELIABILITY.md's table) must be current, and the
one interface that writes them (tools/generated.py) does what it says."""
import pytest

from reports.methods import methods_markdown
from tools.generated import Generated, main
from tools.methods import METHODS
from tools.reliability import RELIABILITY


@pytest.mark.parametrize("generated", [METHODS, RELIABILITY], ids=["METHODS", "RELIABILITY"])
def test_generated_documents_are_current(generated):
    assert generated.stale() == [], "run `make docs`"


def test_check_fails_on_a_stale_file_and_write_makes_it_current(tmp_path, capsys):
    target = Generated(tmp_path / "out.md", lambda: "one\ntwo\n")
    (tmp_path / "out.md").write_text("one\n", encoding="utf-8")
    assert main([target], []) == 0 and "+two" in capsys.readouterr().out    # no flag: print the change
    assert main([target], ["--check"]) == 1 and "is stale" in capsys.readouterr().err
    assert main([target], ["--write"]) == 0 and target.stale() == []
    assert main([target], ["--check"]) == 0


def test_methods_lists_every_parameter_and_mechanism_in_both_languages(data):
    for lang in ("en", "zh"):
        text = methods_markdown(data, lang)
        for pid in data.parameters:
            assert f"`{pid}`" in text
        for mechanism in data.mechanisms.values():
            assert getattr(mechanism.label, lang) in text
    assert "| `network_effect` | Network effect strength | utility per unit of GMV share | 0.5 | 1 | 1.5 |" in \
        methods_markdown(data, "en")

