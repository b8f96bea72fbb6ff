"""Datasette metadata for the national database: titles, descriptions, facets and canned queries.

``metadata(db_name)`` is the dict; ``write_metadata(path, db_name)`` writes it as JSON for
``datasette kaartenbak.db -m metadata.json``. Datasette names a database after its file's stem,
so the metadata is keyed by that stem. The words are Dutch, as the cards are.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tui.core.cards.atomic import write_atomic

FACETS = ["region", "theme", "kind", "status"]

QUERIES: dict[str, dict[str, Any]] = {
    "fte_per_thema_per_regio": {
        "title": "FTE per thema per regio",
        "description": (
            "Som van de FTE-cijfers per regio, thema en soort kaart: laag en hoog (een bereik telt met zijn "
            "onder- en bovengrens), hoeveel kaarten een cijfer hebben en hoeveel 'niet mogelijk' zeggen. Soorten "
            "tellen apart: de ramingen van aanvullende bronnen (sectie F) overlappen initiatieven (sectie B). "
            "Kaarten met meerdere thema's tellen één keer, onder '(meerdere thema's)'. Herleid elk cijfer met "
            "de query fte_bronnen."
        ),
        "sql": (
            "SELECT region, coalesce(theme, CASE WHEN json_array_length(themes) > 1 THEN '(meerdere thema''s)'"
            " ELSE '(geen thema)' END) AS thema, kind, count(*) AS kaarten, count(fte_min) AS met_fte,"
            " round(sum(fte_min), 2) AS fte_laag, round(sum(fte_max), 2) AS fte_hoog,"
            " sum(fte_status = 'niet_mogelijk') AS niet_mogelijk"
            " FROM cards WHERE fte_field IS NOT NULL GROUP BY region, thema, kind ORDER BY region, thema, kind"
        ),
    },
    "fte_bronnen": {
        "title": "Waar de FTE-cijfers vandaan komen",
        "description": (
            "Elk FTE-cijfer van een regio (en eventueel thema) met kaart, veld, repository, bestand en commit: "
            "git -C REPO show COMMIT:PATH toont de bron."
        ),
        "sql": (
            "SELECT id, region, theme, fte_field AS veld, fte_status, fte, fte_min, fte_max,"
            " json_extract(data, '$.' || fte_field || '.tekst') AS letterlijk, repo, path, head_commit, changed_in"
            " FROM cards WHERE fte_field IS NOT NULL AND region = :regio"
            " AND (:thema = '' OR theme = :thema) ORDER BY theme, id"
        ),
    },
    "kaarten_per_regio_en_thema": {
        "title": "Kaarten per regio en thema",
        "description": "Hoeveel kaarten elke regio per thema en soort heeft.",
        "sql": (
            "SELECT region, coalesce(theme, '(meerdere of geen thema)') AS thema, kind, count(*) AS kaarten"
            " FROM cards GROUP BY region, thema, kind ORDER BY region, thema, kind"
        ),
    },
    "zoeken": {
        "title": "Zoeken in alle kaarten",
        "description": "Volledige tekst (titel en alle tekstvelden), hoofdletters en accenten maken niet uit.",
        "sql": (
            "SELECT cards.id, cards.region, cards.theme, cards.title,"
            " snippet(cards_fts, 1, '»', '«', '…', 16) AS fragment, cards.repo, cards.path"
            " FROM cards_fts JOIN cards ON cards._id = cards_fts.rowid"
            " WHERE :zoekterm != '' AND cards_fts MATCH escape_fts(:zoekterm) ORDER BY rank LIMIT 100"
        ),
    },
    "kaartgeschiedenis": {
        "title": "Geschiedenis van één kaart",
        "description": (
            "Elke versie van een kaart (id zoals WBW/T1/1.5): wanneer, door wie, en alleen de velden die veranderden."
        ),
        "sql": (
            "SELECT version, _commit_at, _author, _message, commit_hash, _changed_fields, changes, deleted, repo, path"
            " FROM card_versions_detail WHERE card_id = :kaart ORDER BY repo, path, version"
        ),
    },
    "open_acties_per_regio": {
        "title": "Open acties per regio",
        "description": (
            "Besluiten met een deadline, per regio, de vroegste deadline eerst: wie wat moet doen en wanneer, "
            "met kaart, vergadering en de commit die het besluit vastlegde (git -C REPO show COMMIT:PATH). "
            "Kies een regio, of laat het vak leeg voor alle regio's."
        ),
        "sql": (
            "SELECT decisions.region, decisions.deadline, decisions.action_holder AS actiehouder,"
            " decisions.decision AS besluit, decisions.card_id, cards.title, decisions.meeting AS vergadering,"
            " decisions.date AS datum, decisions.repo, decisions.path, decisions.commit_hash"
            " FROM decisions LEFT JOIN cards ON cards.repo = decisions.repo AND cards.path = decisions.path"
            " WHERE decisions.deadline IS NOT NULL AND (:regio = '' OR decisions.region = :regio)"
            " ORDER BY decisions.region, decisions.deadline, decisions.card_id"
        ),
    },
}

TABLES: dict[str, dict[str, Any]] = {
    "cards": {
        "title": "Kaarten",
        "description": (
            "Eén rij per kaart zoals vastgelegd in de laatste commit (HEAD) van elke regio-repository. "
            "data bevat de hele kaart als JSON."
        ),
        "facets": FACETS,
        "sort": "id",
        "label_column": "title",
        "fts_table": "cards_fts",
        "fts_pk": "_id",
        "columns": {
            "id": "De id van de kaart, bijvoorbeeld WBW/T1/1.5",
            "fte": "Eén FTE-getal (exact of geschat); leeg bij een bereik",
            "fte_min": "Ondergrens van het FTE-cijfer",
            "fte_max": "Bovengrens van het FTE-cijfer",
            "repo": "De repository waar de kaart vandaan komt",
            "path": "Het kaartbestand in die repository",
            "head_commit": "De commit waaruit deze rij is gelezen",
            "changed_in": "De laatste commit die dit kaartbestand veranderde",
            "themes": "Alle thema's van de kaart (sectie F noemt er soms meerdere)",
        },
    },
    "field_values": {
        "title": "Veldwaarden",
        "description": "Eén rij per veld van elke kaart; tabellen als pad met punten (randvoorwaarden.bekostiging).",
        "facets": ["region", "field"],
        "columns": {"changed_in": "De laatste commit die deze waarde zette, voor zover bekend"},
    },
    "card_versions": {
        "title": "Kaartversies",
        "description": (
            "Elke versie van elke kaart (zoals simonw/git-history): changes bevat alleen de velden die "
            "veranderden, _changed_fields hun namen."
        ),
        "facets": ["region", "deleted"],
    },
    "decisions": {
        "title": "Besluiten",
        "description": (
            "Eén rij per besluit ([[besluiten]]) van elke kaart zoals vastgelegd in HEAD: datum, vergadering, "
            "besluit, actiehouder en deadline; field zegt waar in de kaart, commit_hash welke commit het vastlegde."
        ),
        "facets": ["region", "meeting", "action_holder"],
        "sort": "date",
    },
    "commits": {"title": "Commits", "description": "Elke commit die kaarten veranderde.", "facets": ["repo", "author"]},
    "sources": {
        "title": "Bronnen",
        "description": (
            "Eén rij per regio-repository, met de laatste gelezen commit: een nieuwe run leest alleen nieuwere."
        ),
    },
}


def metadata(db_name: str = "kaartenbak") -> dict[str, Any]:
    """Datasette metadata for the national database called ``db_name`` (its file's stem)."""
    return {
        "title": "Kaartenbak: landelijk beeld",
        "description": "De projectkaarten van alle regioplannen in één database, met hun geschiedenis uit git.",
        "databases": {
            db_name: {
                "title": "Regioplannen",
                "description": (
                    "Kaarten, veldwaarden en geschiedenis per regio; elk cijfer herleidbaar tot regio, kaart, veld "
                    "en commit."
                ),
                "tables": TABLES,
                "queries": QUERIES,
            }
        },
    }


def write_metadata(path: Path, db_name: str) -> None:
    """Write the metadata as JSON, atomically."""
    text = json.dumps(metadata(db_name), ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))
