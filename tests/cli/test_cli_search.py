"""``kaartenbak search`` on the real cards: text and JSON output, hints and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import GOLDEN, ROOT, make_repo
from tui.cli import build_parser, main
from tui.core.workspace import Workspace


def search(capsys: pytest.CaptureFixture[str], *args: str, repo: Path = GOLDEN) -> tuple[int, str, str]:
    code = main(["--repo", str(repo), "search", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_search_is_a_registered_subcommand() -> None:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    assert "search" in sub.choices


def test_text_output_lists_rank_id_title_label_and_snippet(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, "welzin", "op", "recpt", "--limit", "3")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "1. WBW/T1/1.1  Welzijn op Recept"
    assert lines[1] == "   Titel: Welzijn op Recept"
    numbered = [line for line in lines if not line.startswith((" ", "…"))]
    assert [line.split(".")[0] for line in numbered] == ["1", "2", "3"]
    assert lines[-1] == "… en nog 1 kaart; gebruik --limit 0 voor alles"  # the 4th card with all words


def test_body_hit_shows_the_dutch_field_label(capsys: pytest.CaptureFixture[str]) -> None:
    label = Workspace(GOLDEN).schema.kind("project").field("betrokken_organisaties").label  # type: ignore[union-attr]
    code, out, _ = search(capsys, "Huisartsenteam", "Etten-Leur", "--limit", "2")
    assert code == 0
    first, detail = out.splitlines()[:2]
    assert first == "1. WBW/T1/1.1  Welzijn op Recept"
    assert detail.startswith(f"   {label}: ") and label == "Betrokken organisaties"
    snippet = detail.split(": ", 1)[1]
    assert "Huisartsenteam Etten-Leur" in snippet and len(snippet) <= 120


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = search(capsys, 'thema:"Mentale gezondheid"', "preventie", "--json", "--limit", "5")
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list) and 1 <= len(rows) <= 5
    assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
    first = rows[0]
    assert set(first) == {"rank", "id", "title", "score", "field", "label", "snippet", "spans"}
    assert first["id"] == "WBW/T3/P1"
    assert [first["snippet"][a:b].casefold() for a, b in first["spans"]] == ["preventie"]


def test_filters_only_list_cards_by_title(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = search(capsys, "regio:wbw", "soort:project", "--json", "--limit", "500")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["id"].startswith("WBW/") for r in rows)
    titles = [r["title"].casefold() for r in rows]
    assert titles == sorted(titles)


def test_no_hits_is_a_friendly_message_and_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = search(capsys, "xqzvwk", "qqqq")
    assert code == 0
    assert out.startswith("Geen kaarten gevonden") and "xqzvwk" in out
    code, out, _ = search(capsys, "xqzvwk", "--json")
    assert code == 0 and json.loads(out) == []


def test_unknown_filter_gives_a_hint_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = search(capsys, "foo:bar", "welzijn", "recept", "--limit", "1")
    assert code == 0
    assert "onbekend filter 'foo:bar'" in err
    assert "thema:, regio:, soort:, org:, programma:" in err and 'thema:"Mentale gezondheid"' in err
    assert out.startswith("1. ")


def test_limit_must_be_a_number_of_zero_or_more(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("-1", "veel"):
        with pytest.raises(SystemExit) as exc:
            main(["--repo", str(GOLDEN), "search", "zorg", "--limit", bad])
        assert exc.value.code == 2
        assert "--limit" in capsys.readouterr().err


def test_limit_zero_lists_everything_and_a_limit_says_how_many_more(capsys: pytest.CaptureFixture[str]) -> None:
    nml = [c for c in Workspace(GOLDEN).store.load_all().cards if c.region == "NML"]
    assert len(nml) > 3
    code, out, _ = search(capsys, "regio:NML", "--limit", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 4 and lines[-1] == f"… en nog {len(nml) - 3} kaarten; gebruik --limit 0 voor alles"
    code, out, _ = search(capsys, "regio:NML", "--limit", "0")
    assert [line.split()[1] for line in out.splitlines()] and len(out.splitlines()) == len(nml)
    assert "en nog" not in out
    code, out, _ = search(capsys, "regio:NML", "--limit", "0", "--json")
    assert {r["id"] for r in json.loads(out)} == {c.id for c in nml}


def test_partial_matches_come_below_a_divider_and_only_when_all_full_ones_are_shown(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = search(capsys, "welzijn", "recept", "--limit", "0")
    assert code == 0
    full, divider, partial = out.partition("--- ook gedeeltelijk (niet alle woorden):\n")
    assert divider and full and partial
    cards = {c.id: c for c in Workspace(GOLDEN).store.load_all().cards}
    ids = [line.split()[1] for line in full.splitlines() if not line.startswith(" ")]
    assert all("recept" in str(cards[i].data).casefold() for i in ids)
    later = [line.split()[1] for line in partial.splitlines() if not line.startswith(" ")]
    assert later and not set(later) & set(ids)
    code, out, _ = search(capsys, "welzijn", "recept", "--json", "--limit", "0")
    assert [r["id"] for r in json.loads(out)] == ids  # JSON holds the full matches only


def test_no_card_with_every_word_shows_the_partial_ones(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = search(capsys, "reablement", "xqzvwk")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Geen kaarten gevonden voor: reablement xqzvwk"
    assert lines[1] == "Ook gedeeltelijk (niet alle woorden):" and "WBW/T1/1.4" in lines[2]


def test_quotes_taken_by_the_shell_or_kept_give_the_same_cards(capsys: pytest.CaptureFixture[str]) -> None:
    # kaartenbak search thema:"Mentale gezondheid" (the shell drops the quotes) and '...' (it keeps them)
    _, took, _ = search(capsys, "thema:Mentale gezondheid", "--json", "--limit", "0")
    _, kept, _ = search(capsys, 'thema:"Mentale gezondheid"', "--json", "--limit", "0")
    assert json.loads(took) == json.loads(kept) and len(json.loads(kept)) == 2
    _, good, _ = search(capsys, "soort:good practice", "--json", "--limit", "0")
    kinds = {c.id: c.kind for c in Workspace(GOLDEN).store.load_all().cards}
    ids = [r["id"] for r in json.loads(good)]
    assert ids and all(kinds[i] == "good_practice" for i in ids)
    assert len(ids) == sum(1 for k in kinds.values() if k == "good_practice")


def test_hostile_card_text_is_shown_safely_and_kept_raw_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"], commit=False)
    (repo / "cards" / "nml").mkdir(exist_ok=True)
    (repo / "cards" / "nml" / "x.toml").write_text(
        'id = "NML/X1"\nkind = "ketenaanpak"\nregion = "NML"\n'
        'title = "[bold]Gevaar[/] [@click=app.quit]klik[/]"\n'
        'kernboodschap = "rode \\u001b[31mtekst\\u001b[0m hier"\n',
        encoding="utf-8",
    )
    code, out, _ = search(capsys, "gevaar", repo=repo)
    assert code == 0
    assert "[bold]Gevaar[/] [@click=app.quit]klik[/]" in out
    code, out, _ = search(capsys, "hier", "rode", repo=repo)
    assert code == 0
    assert "\x1b" not in out and "<U+001B>" in out
    code, out, _ = search(capsys, "hier", "rode", "--json", repo=repo)
    assert json.loads(out)[0]["snippet"] == "rode \x1b[31mtekst\x1b[0m hier"


def test_runs_as_a_real_process() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "tui", "--repo", str(GOLDEN), "search", "welzin recpt", "--json", "--limit", "2"],
        capture_output=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr.decode()
    assert json.loads(run.stdout.decode("utf-8"))[0]["id"] == "WBW/T1/1.1"
