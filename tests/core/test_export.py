"""Exports for meetings on the real cards: Markdown, CSV for Dutch Excel, one printable HTML page."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOLDEN
from tui.core.cards.card import Card
from tui.core.export.export import export_cards, export_name, fte_text, group_cards, select_cards
from tui.core.export.export_csv import neutralise
from tui.core.export.export_md import md_escape
from tui.core.cards.fte import fte_totals
from tui.core.cards.text import fold
from tui.core.workspace import Workspace

WS = Workspace(GOLDEN)  # the golden cards, with the product schema
CARDS = WS.store.load_all().cards
SCHEMA = WS.schema
HOSTILE_TITLE = "<script>alert(1)</script>"


def hostile_card(**extra: Any) -> Card:
    """A card whose text tries to become HTML, links, Markdown structure and spreadsheet formulas."""
    data = {
        "id": "WBW/T3/X1",
        "kind": "project",
        "region": "WBW",
        "theme": "Mentale gezondheid",
        "number": "X1",
        "title": HOSTILE_TITLE,
        "probleemstelling": (
            "[klik](javascript:alert(1)) <img src=https://evil.example/x.png onerror=alert(2)>"
            "\n# geen kop\n*geen nadruk* _ook niet_ `code`"
        ),
        "doelstelling": '=HYPERLINK("https://evil.example","klik")',
        "betrokken_organisaties": ["+31 6 1234", "@SUM(A1)", "-1+1", "\tTab"],
        "notes": "\r\t=1+1 na CR en tab",
        **extra,
    }
    return Card.build(GOLDEN / "cards" / "wbw" / "wbw-t3-x1.toml", data, b"", bom=False, crlf=False)


def by_id(card_id: str) -> Card:
    return next(c for c in CARDS if c.id == card_id)


# -- grouping and selection --------------------------------------------------------------------


def test_groups_follow_region_and_vocabulary_theme_order() -> None:
    groups = group_cards(CARDS, WS.vocab)
    assert sum(len(g.cards) for g in groups) == len(CARDS)
    regions = list(dict.fromkeys(g.region for g in groups))
    assert regions == [r for r in WS.vocab.regions if r in regions]
    for region in regions:
        vocab_order = [t.name for t in WS.vocab.regions[region].themes]
        themes = [g.theme for g in groups if g.region == region]
        known = [t for t in themes if t in vocab_order]
        assert known == sorted(known, key=vocab_order.index)
        assert themes[: len(known)] == known  # unknown themes and "(geen thema)" come after


def test_select_cards_uses_the_search_and_filters_select_exactly() -> None:
    # the export's own loose filter (simple_filter) is gone: the search box's find() selects
    mental = select_cards(CARDS, SCHEMA, ["thema:mentale gezondheid"])
    assert {c.id for c in mental.cards} == {c.id for c in CARDS if c.theme == "Mentale gezondheid"}
    assert mental.query == 'thema:"mentale gezondheid"'
    nml = select_cards(CARDS, SCHEMA, "regio:nml").cards
    assert {c.id for c in nml} == {c.id for c in CARDS if c.region == "NML"}
    projects = select_cards(CARDS, SCHEMA, ["regio:WBW", "soort:project"]).cards
    assert {c.id for c in projects} == {c.id for c in CARDS if c.kind == "project" and c.region == "WBW"}
    assert select_cards(CARDS, SCHEMA, ["thema:bestaat-niet"]).cards == []
    everything = select_cards(CARDS, SCHEMA, [])
    assert len(everything.cards) == len(CARDS) and everything.query == ""


def test_select_cards_takes_every_word_and_never_partial_matches() -> None:
    chosen = select_cards(CARDS, SCHEMA, ["welzijn", "recept"])
    assert chosen.cards and all("welzijn" in fold(str(c.data)) and "recept" in fold(str(c.data)) for c in chosen.cards)
    only_welzijn = [c for c in CARDS if "welzijn" in fold(str(c.data)) and "recept" not in fold(str(c.data))]
    assert only_welzijn and not {c.id for c in only_welzijn} & {c.id for c in chosen.cards}


def test_select_cards_shell_arguments_and_quoted_values_agree() -> None:
    as_typed = select_cards(CARDS, SCHEMA, 'thema:"Mentale gezondheid"')
    shell_took_quotes = select_cards(CARDS, SCHEMA, ["thema:Mentale gezondheid"])
    shell_kept_quotes = select_cards(CARDS, SCHEMA, ['thema:"Mentale gezondheid"'])
    ids = [c.id for c in as_typed.cards]
    assert len(ids) == 2
    assert [c.id for c in shell_took_quotes.cards] == ids == [c.id for c in shell_kept_quotes.cards]
    good = select_cards(CARDS, SCHEMA, ["soort:good practice"]).cards
    assert {c.id for c in good} == {c.id for c in CARDS if c.kind == "good_practice"}
    assert select_cards(CARDS, SCHEMA, "kleur:rood regio:WBW").unknown == ("kleur:rood",)


def test_markdown_and_html_name_the_query_csv_stays_a_plain_table() -> None:
    chosen = select_cards(CARDS, SCHEMA, 'welzijn thema:"Regionale en digitale"')
    md = export_cards(chosen.cards, SCHEMA, "md", query=chosen.query).decode("utf-8")
    assert md.splitlines()[2] == 'Gekozen met de zoekvraag: welzijn thema:"Regionale en digitale"'
    html = export_cards(chosen.cards, SCHEMA, "html", query=chosen.query).decode("utf-8")
    assert '<p class="meta query">Gekozen met de zoekvraag: welzijn thema:&quot;Regionale en digitale&quot;</p>' in html
    assert "Alle kaarten (geen zoekvraag)." in export_cards(CARDS, SCHEMA, "md", query="").decode("utf-8")
    table = export_cards(chosen.cards, SCHEMA, "csv", query=chosen.query).decode("utf-8-sig")
    assert table.startswith("Kaart-id;") and "zoekvraag" not in table.casefold()
    hostile = export_cards(chosen.cards, SCHEMA, "md", query="[klik](javascript:x) <b>").decode("utf-8")
    assert "\\[klik\\](javascript:x) \\<b\\>" in hostile


def test_export_file_name_names_the_query() -> None:
    assert export_name('regio:NML thema:"Mentale gezondheid"', "csv", "20261202-1015") == (
        "kaarten-regio-nml-thema-mentale-gezondheid-20261202-1015.csv"
    )
    assert export_name("", "html", "20261202-1015") == "kaarten-20261202-1015.html"
    assert "/" not in export_name("../../etc/passwd", "md", "x") and export_name(
        "../../etc/passwd", "md", "x"
    ).startswith("kaarten-")


def test_progress_counts_every_card() -> None:
    seen: list[tuple[int, int]] = []
    for fmt in ("md", "csv", "html"):
        seen.clear()
        export_cards(CARDS[:20], SCHEMA, fmt, lambda done, total: seen.append((done, total)))  # type: ignore[arg-type]
        assert seen == [(i, 20) for i in range(1, 21)]


# -- Markdown ----------------------------------------------------------------------------------


def test_markdown_groups_cards_with_dutch_labels() -> None:
    text = export_cards(CARDS, SCHEMA, "md").decode("utf-8")
    assert text.startswith("# ")
    assert len(re.findall(r"^#### ", text, re.MULTILINE)) == len(CARDS)
    nml, wbw = text.index("## NML: Noord- en Midden-Limburg"), text.index("## WBW: West-Brabant West")
    assert nml < wbw
    nml_themes = [t.name for t in WS.vocab.regions["NML"].themes if any(c.theme == t.name for c in CARDS)]
    positions = [text.index(f"\n### {md_escape(t)}\n") for t in nml_themes]
    assert positions == sorted(positions) and positions[0] > nml and positions[-1] < wbw
    b01 = text[text.index("#### NML/B01.1 Mentale gezondheidsnetwerken") :]
    b01 = b01[: b01.index("\n#### ", 5)]
    assert "**Soort kaart:** Initiatief (NML)" in b01
    assert "**Organisaties**\n\n- MetGGZ\n- VIGO" in b01
    assert "**Impact kwantificering (FTE):** 9 fte" in b01
    assert "- **Sleutel in sectie A:** A01.1" in b01  # a table as labelled sub-items
    assert "- **Aannames**\n  - **1.**\n    - Regel: 48.304" in b01


def test_markdown_card_text_cannot_create_links_or_html() -> None:
    markdown_it = pytest.importorskip("markdown_it")
    text = export_cards([hostile_card()], SCHEMA, "md").decode("utf-8")
    html = markdown_it.MarkdownIt("commonmark").render(text)
    for tag in ("<a ", "<img", "<script", "<em>", "<code>", "<h1>geen kop"):
        assert tag not in html, tag
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, literally, as text
    assert "[klik](javascript:alert(1))" in html and "# geen kop" in html and "*geen nadruk*" in html


def test_md_escape_line_starts() -> None:
    assert md_escape("# kop") == "\\# kop"
    assert md_escape("1. punt") == "1\\. punt"
    assert md_escape("- item") == "\\- item"
    assert md_escape("a_b*c") == "a\\_b\\*c"


# -- CSV ---------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_for_dutch_excel() -> None:
    data = export_cards(CARDS, SCHEMA, "csv")
    assert data.count(b"\r\n") >= len(CARDS) + 1 and data.endswith(b"\r\n")
    rows = _csv_rows(data)
    header, body = rows[0], rows[1:]
    assert len(body) == len(CARDS) and all(len(r) == len(header) for r in body)
    assert header[:7] == ["Kaart-id", "Soort kaart", "Regio", "Thema", "Programma", "Nummer", "Titel"]
    assert len(set(header)) == len(header)
    for label in (
        "Omschrijving",
        "Organisaties",
        "Impact kwantificering (FTE)",
        "Probleemstelling",
        "Notities",
        "Bron",
    ):
        assert label in header
    row = dict(zip(header, next(r for r in body if r[0] == "NML/B01.1"), strict=False))
    assert row["Titel"] == "Mentale gezondheidsnetwerken" and row["Soort kaart"] == "Initiatief (NML)"
    assert row["Organisaties"] == "MetGGZ | VIGO"
    assert row["Impact kwantificering (FTE)"] == "9 fte"
    assert row["Impact kwantificering (FTE) (fte laag)"] == row["Impact kwantificering (FTE) (fte hoog)"] == "9"
    assert "Document: 003_7dc62a7d7e96fca8.txt" in row["Bron"].split("\n")


def test_csv_fte_columns_add_up_to_the_theme_totals() -> None:
    rows = _csv_rows(export_cards(CARDS, SCHEMA, "csv"))
    header = rows[0]
    col = {
        name: header.index(name)
        for name in (
            "Soort kaart",
            "Thema",
            "Impact kwantificering (FTE) (fte laag)",
            "Impact kwantificering (FTE) (fte hoog)",
        )
    }
    sums: dict[str, list[float]] = {}
    for r in rows[1:]:
        if r[col["Soort kaart"]] != "Initiatief (NML)":
            continue
        low, high = r[col["Impact kwantificering (FTE) (fte laag)"]], r[col["Impact kwantificering (FTE) (fte hoog)"]]
        s = sums.setdefault(r[col["Thema"]] or "(geen thema)", [0.0, 0.0])
        s[0] += float(low.replace(",", ".") or 0)
        s[1] += float(high.replace(",", ".") or 0)
    for theme, total in fte_totals(CARDS).items():
        assert sums[theme] == pytest.approx([total.low, total.high])


def test_csv_neutralises_formula_injection() -> None:
    rows = _csv_rows(export_cards([hostile_card()], SCHEMA, "csv"))
    row = dict(zip(rows[0], rows[1], strict=False))
    assert row["Doelstelling"].startswith("'=HYPERLINK(")
    assert row["Betrokken organisaties"].startswith("'+31")  # the first item starts the cell
    assert row["Notities"] == "'=1+1 na CR en tab"  # trimmed first, so leading whitespace cannot hide "="
    assert row["Titel"] == HOSTILE_TITLE
    for cell in rows[1]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert [neutralise(v) for v in ("=1", "+1", "-1", "@x", "\tx", "\rx", "ok")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@x",
        "'\tx",
        "'\rx",
        "ok",
    ]


# -- HTML --------------------------------------------------------------------------------------


class _Attributes(HTMLParser):
    """Every URL-carrying attribute of the real elements (card text inside them does not count)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.values += [
            v or "" for k, v in attrs if k in ("src", "href", "action", "poster", "data", "srcset", "background")
        ]


def _url_attributes(page: str) -> list[str]:
    parser = _Attributes()
    parser.feed(page)
    assert not parser.tags & {"script", "img", "link", "iframe", "object", "embed"}, parser.tags
    return parser.values


def test_html_is_self_contained_and_escapes_card_text() -> None:
    page = export_cards([*CARDS, hostile_card()], SCHEMA, "html").decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="nl">' in page and '<meta charset="utf-8">' in page
    assert "<script" not in page.replace("&lt;script", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    attrs = _url_attributes(page)
    assert attrs and all(value.startswith("#") for value in attrs), [v for v in attrs if not v.startswith("#")]
    assert "&lt;img src=https://evil.example/x.png" in page  # the card's own text, shown as text
    assert "@media print" in page and "break-before: page" in page


def test_html_toc_links_every_card_and_fte_totals_per_theme() -> None:
    page = export_cards(CARDS, SCHEMA, "html").decode("utf-8")
    articles = re.findall(r'<article id="([^"]+)">', page)
    assert len(articles) == len(set(articles)) == len(CARDS)
    toc = page[page.index("<nav") : page.index("</nav>")]
    assert set(re.findall(r'href="#(kaart-[^"]+)"', toc)) == set(articles)
    table = page[page.index('id="fte-per-thema"') :]
    table = table[: table.index("</table>")]
    for theme, total in fte_totals(CARDS).items():
        rng = f"{total.low:g}" if total.low == total.high else f"{total.low:g}–{total.high:g}"
        assert re.search(
            rf"<td>{re.escape(theme.replace('&', '&amp;'))}</td><td class=\"num\">{re.escape(rng)} fte</td>", table
        ), theme


def test_fte_text_adds_the_documents_words_only_when_they_differ() -> None:
    assert fte_text({"tekst": "~30", "status": "estimate", "waarde": 30}) == "± 30 fte"
    assert fte_text({"tekst": "n.t.b.", "status": "ntb"}) == "nog te bepalen (letterlijk: n.t.b.)"


# -- a real browser ----------------------------------------------------------------------------


def _chromium() -> str | None:
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    base = [
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([*base, *args], check=False, capture_output=True, text=True, timeout=180)


def test_html_renders_in_headless_chromium(tmp_path: Path) -> None:
    binary = _chromium()
    if binary is None:
        pytest.skip("Chromium is niet geïnstalleerd (/usr/bin/chromium, chromium of chromium-browser op PATH)")
    theme = [c for c in CARDS if c.theme == "Mentale gezondheid"]
    assert theme
    page = tmp_path / "export.html"
    page.write_bytes(export_cards([*theme, hostile_card()], SCHEMA, "html"))
    url = page.as_uri()

    shot = _run_chromium(
        binary, tmp_path / "profile1", f"--screenshot={tmp_path / 'shot.png'}", "--window-size=1280,2000", url
    )
    png = tmp_path / "shot.png"
    assert png.exists(), shot.stderr[-2000:]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000

    dump = _run_chromium(binary, tmp_path / "profile2", "--enable-logging=stderr", "--v=0", "--dump-dom", url)
    assert dump.returncode == 0, dump.stderr[-2000:]
    dom = dump.stdout
    for card in theme:
        assert card.title.replace("&", "&amp;") in dom
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom and "<script" not in dom.replace("&lt;script", "")
    console = [ln for ln in dump.stderr.splitlines() if ":CONSOLE" in ln or "Uncaught" in ln]
    assert console == [], console  # no errors, and no blocked resource loads reported by the CSP
