"""The settings registry: every key checked on the way in and on the way out of the file."""

from __future__ import annotations

import json

import pytest

from library.errors import SettingsError
from library.packets.settings import RepSettings, SettingsStore
from library.settings import SETTINGS, Settings, set_command
from library.usage import Weights


def test_defaults_apply_until_set(tmp_path):
    settings = Settings(tmp_path)
    assert settings.get("rep.name") == "" and settings.get("smtp.port") == 587
    assert settings.get("usage.weights") == Weights()
    assert set(settings.values()) == set(SETTINGS)
    assert not settings.path.exists()


@pytest.mark.parametrize(
    ("key", "text", "stored_name", "stored"),
    [
        ("rep.name", "  Ana Lima ", "rep_name", "Ana Lima"),
        ("rep.email", "ana@example.com", "rep_email", "ana@example.com"),
        ("smtp.port", "2525", "smtp_port", 2525),
        ("smtp.security", "SSL", "smtp_security", "ssl"),
        ("mail.attachment_limit_mb", "2.5", "attachment_limit_mb", 2.5),
        ("text.max_chars", "500_000", "max_chars", 500_000),
        ("usage.weights", "send=10, open=1", "usage_weights", None),
    ],
)
def test_set_parses_text_and_keeps_the_file_names(tmp_path, key, text, stored_name, stored):
    settings = Settings(tmp_path)
    settings.set(key, text)
    data = json.loads(settings.path.read_text(encoding="utf-8"))
    if key == "usage.weights":
        assert settings.get(key) == Weights(packet_send=10, open=1)
        assert data[stored_name]["packet_send"] == 10 and data[stored_name]["preview"] == 1
    else:
        assert data[stored_name] == stored and settings.get(key) == stored


@pytest.mark.parametrize(
    ("key", "text", "says"),
    [
        ("smtp.port", "abc", "a whole number from 1 to 65535"),
        ("smtp.port", "70000", "a whole number from 1 to 65535"),
        ("smtp.security", "tls", "one of starttls, ssl, none"),
        ("rep.email", "ana at example", "an email address"),
        ("usage.weights", "share=3", "KIND=N"),
        ("usage.weights", "send=-1", "KIND=N"),
        ("text.max_chars", "12", "a whole number from 1000"),
    ],
)
def test_a_bad_value_names_the_format_and_writes_nothing(tmp_path, key, text, says):
    settings = Settings(tmp_path)
    settings.set("rep.name", "Ana Lima")
    before = settings.path.read_text(encoding="utf-8")
    with pytest.raises(SettingsError) as caught:
        settings.set(key, text)
    assert says in str(caught.value) and key in str(caught.value)
    assert "\n" not in str(caught.value)
    assert settings.path.read_text(encoding="utf-8") == before


def test_an_unknown_key_lists_the_valid_ones(tmp_path):
    with pytest.raises(SettingsError) as caught:
        Settings(tmp_path).set("rep.nmae", "Ana")
    message = str(caught.value)
    assert "rep.nmae" in message and all(key in message for key in SETTINGS)


def test_a_bad_stored_value_names_the_command_that_fixes_it(tmp_path):
    (tmp_path / "settings.json").write_text('{"smtp_port": "many", "rep_name": "Ana"}')
    settings = Settings(tmp_path)
    assert settings.get("rep.name") == "Ana"
    with pytest.raises(SettingsError, match="pitchpack settings set smtp.port 587"):
        settings.get("smtp.port")


def test_a_number_written_as_text_by_hand_still_reads(tmp_path):
    (tmp_path / "settings.json").write_text('{"smtp_port": "2525"}')
    assert Settings(tmp_path).get("smtp.port") == 2525


def test_none_forgets_a_setting_and_unknown_file_keys_survive(tmp_path):
    (tmp_path / "settings.json").write_text('{"theme": "dark", "password": "x"}')
    settings = Settings(tmp_path)
    settings.set("smtp.port", 25)
    assert settings.update({"smtp.port": None}) == {"smtp.port": 587}
    data = json.loads(settings.path.read_text(encoding="utf-8"))
    assert data == {"theme": "dark"}


def test_rep_settings_are_a_view_of_the_registry(tmp_path):
    store = SettingsStore(tmp_path)
    store.save(RepSettings(rep_name="Ana Lima", smtp_port=465, logo="/x/logo.png"))
    settings = Settings(tmp_path)
    assert settings.get("rep.name") == "Ana Lima" and settings.get("rep.logo") == "/x/logo.png"
    assert store.load().smtp_port == 465
    with pytest.raises(SettingsError, match="smtp.security"):
        store.save(RepSettings(smtp_security="carrier pigeon"))
    assert store.load().smtp_port == 465


def test_set_command_quotes_values_with_spaces():
    assert set_command("rep.name") == 'pitchpack settings set rep.name "Ana Lima"'
    assert set_command("smtp.port") == "pitchpack settings set smtp.port 587"


def test_the_library_applies_weights_and_the_text_limit(tmp_path):
    from library import Library

    Settings(tmp_path).update({"usage.weights": "send=20", "text.max_chars": "5000"})
    with Library(tmp_path) as lib:
        assert lib.usage.weights.packet_send == 20
        assert lib.ingest.pool_options["max_chars"] == 5000
        lib.change_settings({"usage.weights": "open=7"})
        assert lib.usage.weights == Weights(packet_send=20, open=7)
    with Library(tmp_path, max_chars=9000) as lib:
        assert lib.ingest.pool_options["max_chars"] == 9000


def test_a_damaged_settings_file_does_not_keep_the_library_shut(tmp_path):
    from library import Library

    (tmp_path / "settings.json").write_text('{"max_chars": "lots"}')
    with Library(tmp_path) as lib:
        assert lib.ingest.pool_options["max_chars"] == 2_000_000
        lib.change_settings({"text.max_chars": "3000"})
    with Library(tmp_path) as lib:
        assert lib.ingest.pool_options["max_chars"] == 3000
