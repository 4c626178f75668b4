from pathlib import Path

import pytest
import yaml

from rcrp.models.errors import ErrorCode, RcrpError
from rcrp.models.settings import Settings
from rcrp.models.taxonomy import default_taxonomy, load_taxonomy

GUIDE = Path(__file__).resolve().parents[2] / "shared" / "label_guide.md"


def test_default_taxonomy_is_the_label_guide():
    tax = default_taxonomy()
    assert tax.category_names == ("concern_for_welfare", "walkout_healthcare", "awol_mental_health",
                                  "conveyance", "mha_s136_handover", "police_matter")
    assert tax.flag_name == "police_response_required"
    assert tax.attribute_names == ("age_band", "sex", "ethnicity")
    assert tax.attribute("age_band").values == ("child", "adult", "older", "unknown")
    assert tax.attribute("sex").values == ("female", "male", "unknown")
    assert tax.attribute("ethnicity").values == ("asian", "black", "mixed", "white", "other", "not_stated")
    assert tax.label_id == "rcrp-default@1"


@pytest.mark.skipif(not GUIDE.exists(), reason="shared/label_guide.md is not beside the checkout")
def test_every_guide_label_is_in_the_taxonomy():
    text = GUIDE.read_text(encoding="utf-8")
    tax = default_taxonomy()
    for name in tax.category_names + (tax.flag_name,):
        assert f"`{name}`" in text


def _write(tmp_path, data):
    path = tmp_path / "tax.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_force_can_supply_its_own_taxonomy(tmp_path, monkeypatch):
    data = default_taxonomy().model_dump(mode="json")
    data["name"], data["version"] = "force-x", "7"
    data["categories"].append({"name": "missing_person", "description": "A person reported missing."})
    path = _write(tmp_path, data)
    monkeypatch.setenv("RCRP_TAXONOMY_PATH", str(path))
    tax = Settings().taxonomy()
    assert tax.label_id == "force-x@7"
    assert tax.category_names[-1] == "missing_person"


@pytest.mark.parametrize("mutate, where", [
    (lambda d: d["categories"].append(dict(d["categories"][0])), "unique"),
    (lambda d: d["categories"][0].update(name="Bad Name"), "categories.0.name"),
    (lambda d: d.update(colour="blue"), "colour"),
    (lambda d: d["attributes"][0].update(unknown_value="nope"), "unknown_value"),
])
def test_invalid_taxonomy_names_the_problem(tmp_path, mutate, where):
    data = default_taxonomy().model_dump(mode="json")
    mutate(data)
    with pytest.raises(RcrpError) as err:
        load_taxonomy(_write(tmp_path, data))
    assert err.value.code == ErrorCode.TAXONOMY_INVALID
    assert where in str(err.value)


def test_unreadable_taxonomy_file(tmp_path):
    with pytest.raises(RcrpError) as err:
        load_taxonomy(tmp_path / "absent.yaml")
    assert err.value.code == ErrorCode.TAXONOMY_INVALID


def test_settings_read_environment_only_when_built(monkeypatch, tmp_path):
    monkeypatch.setenv("RCRP_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RCRP_MAX_NARRATIVE_CHARS", "500")
    s = Settings()
    assert s.data_dir == tmp_path and s.max_narrative_chars == 500
    monkeypatch.setenv("RCRP_MAX_NARRATIVE_CHARS", "0")
    with pytest.raises(ValueError):
        Settings()


def test_error_messages_are_constant():
    err = RcrpError(ErrorCode.NARRATIVE_EMPTY, detail="row 3")
    assert err.message == "The narrative is empty or only whitespace."
    assert str(err) == "[narrative_empty] The narrative is empty or only whitespace. (row 3)"
