"""Saved views (``views.toml``): load, save byte-identically, refuse duplicates and broken files, find the cards."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from tests.conftest import make_repo
from tui.core.library import Library
from tui.core.meetings.views import (
    View,
    ViewsError,
    cards_for,
    delete_view,
    find_view,
    load_views,
    save_view,
    view_cards,
    views_path,
)
from tui.core.workspace import Workspace

EXISTING = """# Agenda's van de werkgroep Noord
[[view]]
name = "Stuurgroep"   # de vaste agenda
query = "regio:wbw"

# nog een
[[view]]
name = "Preventie"
query = "preventie"
sort = "changed"
"""


def test_no_file_means_no_views(tmp_path: Path) -> None:
    assert load_views(tmp_path) == []
    with pytest.raises(ViewsError) as caught:
        find_view(tmp_path, "x")
    assert caught.value.code == "views.unknown"


def test_first_view_makes_the_file(tmp_path: Path) -> None:
    path = save_view(tmp_path, View("Programma 2", "programma:2", "number", "Alle kaarten van programma 2"))
    assert path == views_path(tmp_path) and path.name == "views.toml"
    assert load_views(tmp_path) == [View("Programma 2", "programma:2", "number", "Alle kaarten van programma 2")]
    assert path.read_text(encoding="utf-8").startswith("#")  # a comment says what the file is


def test_adding_appends_and_keeps_the_rest_byte_identical(tmp_path: Path) -> None:
    views_path(tmp_path).write_text(EXISTING, encoding="utf-8")
    save_view(tmp_path, View("Gezond", 'thema:"Gezond vooruit"'))
    text = views_path(tmp_path).read_text(encoding="utf-8")
    assert text.startswith(EXISTING)
    added = text[len(EXISTING) :]
    assert added == '\n[[view]]\nname = "Gezond"\nquery = "thema:\\"Gezond vooruit\\""\n'
    assert [v.name for v in load_views(tmp_path)] == ["Stuurgroep", "Preventie", "Gezond"]
    assert find_view(tmp_path, "gezond").query == 'thema:"Gezond vooruit"'


def test_duplicate_name_is_refused_unless_replacing(tmp_path: Path) -> None:
    views_path(tmp_path).write_text(EXISTING, encoding="utf-8")
    with pytest.raises(ViewsError) as caught:
        save_view(tmp_path, View("  STUURGROEP ", "x"))
    assert caught.value.code == "views.duplicate" and caught.value.params == {"name": "Stuurgroep"}
    assert views_path(tmp_path).read_text(encoding="utf-8") == EXISTING
    save_view(tmp_path, View("Stuurgroep", "regio:nml", "number"), replace=True)
    text = views_path(tmp_path).read_text(encoding="utf-8")
    assert text.count("[[view]]") == 2 and "# de vaste agenda" in text and text.endswith(EXISTING.split("# nog een")[1])
    assert load_views(tmp_path)[0] == View("Stuurgroep", "regio:nml", "number")


@pytest.mark.parametrize(
    ("view", "code"),
    [
        (View("", "x"), "views.empty_name"),
        (View("   ", "x"), "views.empty_name"),
        (View("a\x1bb", "x"), "views.bad_name"),
        (View("x" * 81, "x"), "views.long_name"),
        (View("ok", "x", "score"), "views.bad_sort"),
    ],
)
def test_bad_views_are_refused_with_a_code(tmp_path: Path, view: View, code: str) -> None:
    with pytest.raises(ViewsError) as caught:
        save_view(tmp_path, view)
    assert caught.value.code == code
    assert not views_path(tmp_path).exists()


def test_broken_file_gives_line_and_column(tmp_path: Path) -> None:
    views_path(tmp_path).write_text('[[view]]\nname = "Open\nquery = "x"\n', encoding="utf-8")
    with pytest.raises(ViewsError) as caught:
        load_views(tmp_path)
    assert caught.value.code == "views.broken"
    assert caught.value.params["line"] == 2 and caught.value.params["column"] > 1
    with pytest.raises(ViewsError):  # never written over
        save_view(tmp_path, View("Nieuw", "x"))
    assert views_path(tmp_path).read_text(encoding="utf-8").startswith('[[view]]\nname = "Open')


def test_entry_without_a_name_is_explained(tmp_path: Path) -> None:
    views_path(tmp_path).write_text('[[view]]\nname = "A"\nquery = "x"\n\n[[view]]\nquery = 3\n', encoding="utf-8")
    with pytest.raises(ViewsError) as caught:
        load_views(tmp_path)
    assert caught.value.code == "views.bad_entry" and caught.value.params["number"] == 2


def test_delete_keeps_the_others(tmp_path: Path) -> None:
    views_path(tmp_path).write_text(EXISTING, encoding="utf-8")
    gone = delete_view(tmp_path, "preventie")
    assert gone.name == "Preventie"
    text = views_path(tmp_path).read_text(encoding="utf-8")
    assert text.startswith('# Agenda\'s van de werkgroep Noord\n[[view]]\nname = "Stuurgroep"   # de vaste agenda\n')
    assert [v.name for v in load_views(tmp_path)] == ["Stuurgroep"]
    with pytest.raises(ViewsError) as caught:
        delete_view(tmp_path, "Preventie")
    assert caught.value.code == "views.unknown" and caught.value.params["names"] == "Stuurgroep"


def test_view_cards_runs_the_search_and_sorts(tmp_path: Path) -> None:
    ws = Workspace.find(make_repo(tmp_path / "repo"))
    library = Library(ws)
    library.load()
    by_title = view_cards(View("Gezond", 'thema:"Gezond vooruit"'), library)
    assert sorted(c.id for c in by_title) == ["NML/B01.1", "NML/E1.1", "NML/H2"]
    assert [c.title.casefold() for c in by_title] == sorted(c.title.casefold() for c in by_title)
    by_number = view_cards(View("Gezond", 'thema:"Gezond vooruit"', "number"), library)
    assert [c.id for c in by_number] == ["NML/B01.1", "NML/E1.1", "NML/H2"]
    words = view_cards(View("Ouderen", "regio:wbw kwetsbare ouderen", "number"), library)
    assert words and all(c.region == "WBW" or c.id.startswith("WBW") for c in words)
    numbers = [[(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", c.number or c.id)] for c in words]
    assert numbers == sorted(numbers)
    everything = view_cards(View("Alles", ""), library)
    assert len(everything) == len(library.cards)
    cards = list(library.cards.values())
    assert [c.id for c in cards_for(View("G", 'thema:"Gezond vooruit"', "number"), cards, ws.schema)] == [
        c.id for c in by_number
    ]


def test_changed_order_is_last_changed_first(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "repo")
    later = repo / "cards" / "nml" / "nml-h2.toml"
    os.utime(later, (time.time() + 3600, time.time() + 3600))
    library = Library(Workspace.find(repo))
    library.load()
    assert view_cards(View("G", 'thema:"Gezond vooruit"', "changed"), library)[0].id == "NML/H2"
    assert view_cards(View("G", 'thema:"Gezond vooruit"', "title"), library)[0].id != "NML/H2"


def test_views_added_in_two_clones_merge_into_both(tmp_path: Path) -> None:
    """git's merge through the kaartenbak driver: a view added on each side is two tables, never a conflict."""
    from tests.conftest import DRIVER_PROGRAM, git
    from tui.core.git.init_repo import ATTRIBUTE_LINES, init_repo

    assert "views.toml merge=kaartenbak" in ATTRIBUTE_LINES
    repo = make_repo(tmp_path / "repo", cards=["nml-c1"])
    init_repo(repo, program=DRIVER_PROGRAM, textconv=False)
    save_view(repo, View("Eerst", "regio:nml"))
    save_view(repo, View("Weg", "regio:wbw"))
    git(repo, "add", "views.toml")
    git(repo, "commit", "-qm", "agenda")
    git(repo, "checkout", "-qb", "ander")
    save_view(repo, View("Van de ander", "thema:x"))
    save_view(repo, View("Eerst", "regio:nml", "number"), replace=True)
    git(repo, "commit", "-qam", "ander")
    git(repo, "checkout", "-q", "main")
    save_view(repo, View("Van mij", "programma:2", "number"))
    delete_view(repo, "Weg")
    git(repo, "commit", "-qam", "mij")
    git(repo, "merge", "-q", "--no-edit", "ander")
    assert load_views(repo) == [
        View("Eerst", "regio:nml", "number"),
        View("Van mij", "programma:2", "number"),
        View("Van de ander", "thema:x"),
    ]


def test_merge_of_the_same_view_changed_twice_is_left_to_git() -> None:
    from tui.core.meetings.views import merge_views_bytes

    base = b'[[view]]\nname = "A"\nquery = "x"\n'
    ours = b'[[view]]\nname = "A"\nquery = "y"\n'
    theirs = b'[[view]]\nname = "A"\nquery = "z"\n'
    assert merge_views_bytes(base, ours, theirs) is None
    assert merge_views_bytes(base, ours, base) == ours
    assert merge_views_bytes(base, base, theirs) == theirs
    assert merge_views_bytes(base, ours, b"[[view]\n") is None
    assert merge_views_bytes(b"", ours, ours) == ours


def test_conflict_markers_are_named_as_such(tmp_path: Path) -> None:
    views_path(tmp_path).write_text(
        '[[view]]\nname = "A"\n<<<<<<< ours\nquery = "x"\n=======\nquery = "y"\n>>>>>>> theirs\n', encoding="utf-8"
    )
    with pytest.raises(ViewsError) as caught:
        load_views(tmp_path)
    assert caught.value.code == "views.conflict_markers" and caught.value.params["line"] == 3
