"""Words looked up when shown, core codes phrased by tui/locale, and the CLI in both languages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.cli import build_parser
from tui.cli.lang import english_help, help_texts, translate_parser
from tui.core.cards.schema import Schema
from tui.core.cards.validate import Problem, validate_data
from tui.core.config import load_config
from tui.core.git.identity import InvalidIdentity, validate_identity
from tui.i18n import catalogue, explained, language, lazy, set_language, shown

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def restore_language() -> Iterator[None]:
    before = language()
    yield
    set_language(before)


@pytest.fixture
def schema() -> Schema:
    return Schema(ROOT / "schema")


def test_a_lazy_word_is_looked_up_again_in_the_language_now() -> None:
    set_language("nl")
    word = lazy("keys.quit")
    assert word == "Stoppen"
    set_language("en")
    assert shown(word) == "Quit"
    assert shown("plain text") == "plain text"


def test_textual_bindings_follow_the_language() -> None:
    from textual.widgets._select import SelectOverlay

    from tui import ui_language

    def dismiss() -> str:
        merged = SelectOverlay._merged_bindings
        assert merged is not None
        return next(b.description for _, b in merged if b.action == "dismiss")

    set_language("nl")
    ui_language.relabel()
    assert dismiss() == "Menu sluiten"
    set_language("en")
    ui_language.relabel()
    assert dismiss() == "Dismiss menu"


def test_every_field_and_kind_has_an_english_label_and_help(schema: Schema) -> None:
    missing = []
    for kind in schema.kinds.values():
        if not kind.title_en or not kind.description_en:
            missing.append(kind.name)
        stack = list(kind.fields)
        while stack:
            f = stack.pop()
            if not f.label_en or (f.help_nl and not f.help_en):
                missing.append(f"{kind.name}.{f.key}")
            stack.extend(f.children)
    assert missing == []


def test_labels_and_kind_names_follow_the_language(schema: Schema) -> None:
    kind = schema.kind("project")
    assert kind is not None
    field = kind.field("doelstelling")
    assert field is not None
    set_language("nl")
    assert (kind.title, field.label) == ("Project of programma (WBW)", "Doelstelling")
    set_language("en")
    assert (kind.title, field.label) == ("Project or programme (WBW)", "Objective")
    assert field.help.startswith("What the project wants to achieve")


def test_validation_problems_are_codes_phrased_in_either_language(schema: Schema) -> None:
    problems = validate_data({"kind": "project", "id": "X/1", "region": "WBW"}, schema)
    missing_title = next(p for p in problems if p.path == ("title",))
    assert missing_title.code == "required"
    set_language("nl")
    assert str(missing_title) == "Titel: ontbreekt; dit veld is verplicht. Vul het in."
    set_language("en")
    assert str(missing_title) == "Title: is missing; this field is required. Fill it in."
    again = Problem.from_plain(missing_title.plain())  # what the problem cache keeps
    assert again == missing_title and again.message == missing_title.message


def test_an_unknown_kind_is_a_code_with_its_choices(schema: Schema) -> None:
    set_language("en")
    [kind_problem, *_] = validate_data({"kind": "recept"}, schema)
    assert kind_problem.code == "kind_unknown"
    assert dict(kind_problem.params)["kind"] == "recept"
    assert kind_problem.label == "Kind of card"
    assert kind_problem.message.startswith("unknown kind 'recept'. Choose from: ")


def test_identity_problems_are_codes_phrased_in_either_language() -> None:
    set_language("en")
    with pytest.raises(InvalidIdentity) as caught:
        validate_identity("Anna", "anna-at-example")
    assert (caught.value.code, caught.value.field) == ("not_email", "email")
    assert caught.value.message == "'anna-at-example' does not look like an e-mail address."
    set_language("nl")
    with pytest.raises(InvalidIdentity) as caught:
        validate_identity("-x", "a@b.nl")
    assert explained(caught.value.message, caught.value.advice, " ") == (
        "Naam mag niet met '-' beginnen. Haal het streepje aan het begin weg."
    )


def test_config_problems_are_codes(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('lang = "fr"\n', encoding="utf-8")
    cfg = load_config(path)
    [problem] = cfg.problems
    assert problem.code == "bad_lang"  # type: ignore[union-attr]
    set_language("en")
    assert str(problem).endswith("lang = 'fr' is unknown; choose from nl, en")
    set_language("nl")
    assert str(problem).endswith("lang = 'fr' onbekend; kies uit nl, en")


def test_explained_joins_message_and_advice_once() -> None:
    assert explained("Mislukt.", "Probeer opnieuw.") == "Mislukt.\n\nProbeer opnieuw."
    assert explained("Mislukt.", "") == "Mislukt."
    assert explained("", "Probeer opnieuw.", " ") == "Probeer opnieuw."


def test_every_help_text_of_the_command_line_has_an_english_form() -> None:
    parser = build_parser()
    assert translate_parser(parser, "en") == []  # a new option or command needs a line in cli.en.toml
    keys = {key for key, _, _ in help_texts(build_parser())}
    stale = {k for k in english_help() if not k.startswith("metavar.")} - keys
    assert stale == set()


def _kaartenbak(*args: str, lang_env: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "KAARTENBAK_LANG"}
    env["KAARTENBAK_CONFIG"] = str(ROOT / "no-such-config.toml")
    if lang_env:
        env["KAARTENBAK_LANG"] = lang_env
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )


def test_help_in_english() -> None:
    result = _kaartenbak("--lang", "en", "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("usage: kaartenbak")
    for english in ("options:", "show this help message and exit", "COMMAND", "check cards against the schema"):
        assert english in text
    dutch = [v for k, v in catalogue("nl").items() if k.startswith("cli.")] + ["gebruik:", "opties:", "OPDRACHT"]
    dutch += ["controleer kaarten tegen het schema", "taal van de app", "toon deze hulp"]
    assert [d for d in dutch if d in text] == []


def test_help_in_dutch_by_default() -> None:
    result = _kaartenbak("validate", "--help")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("gebruik: kaartenbak validate")
    for dutch in ("opties:", "toon deze hulp en stop", "argumenten:", "PAD", "toon geen waarschuwingen"):
        assert dutch in text
    english = ["usage:", "options:", "show this help", "positional arguments", "PATH", "check cards", "show no"]
    assert [e for e in english if e in text] == []


def test_kaartenbak_lang_environment_chooses_english_for_help_and_errors() -> None:
    result = _kaartenbak("nope", lang_env="en")
    assert result.returncode == 2
    assert "error: argument COMMAND: invalid choice: 'nope'" in result.stderr
    result = _kaartenbak("nope")
    assert "fout: argument OPDRACHT: ongeldige keuze: 'nope'" in result.stderr


def test_show_and_validate_speak_english_in_english_mode() -> None:
    shown_card = _kaartenbak("--lang", "en", "show", "WBW/T1/1.1")
    assert shown_card.returncode == 0, shown_card.stderr
    assert "Kind of card: project" in shown_card.stdout and "Problem statement:" in shown_card.stdout
    assert "Soort kaart" not in shown_card.stdout and "Probleemstelling" not in shown_card.stdout
    checked = _kaartenbak("--lang", "en", "validate", "-q")
    assert "cards checked:" in checked.stdout and "kaarten gecontroleerd" not in checked.stdout


def test_an_english_export_has_english_chrome_and_dutch_content(schema: Schema) -> None:
    from tui.core.cards.parse import load_file
    from tui.core.export.export import export_cards

    card = load_file(ROOT / "cards" / "wbw" / "wbw-t1-1.1.toml")
    assert not isinstance(card, Exception)
    set_language("en")
    html = export_cards([card], schema, "html").decode("utf-8")
    assert '<html lang="en">' in html and "Contents" in html and "1 card" in html and "1 cards" not in html
    assert "Problem statement" in html and "Welzijn op Recept" in html
    assert "Inhoud" not in html and "Probleemstelling" not in html
    set_language("nl")
    markdown = export_cards([card], schema, "md").decode("utf-8")
    assert "Probleemstelling" in markdown and "1 kaart." in markdown and "1 kaarten" not in markdown
