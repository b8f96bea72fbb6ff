"""The form model: untouched fields are the file's own values; changed ones are parsed (issue 12 item 1)."""

from __future__ import annotations

import math

from tui.core.cards.forms import field_value, merge_form, shown_value, tables_value
from tui.core.cards.schema import Field


def F(widget: str, **kw: object) -> Field:
    return Field(key="k", label_nl="K", help_nl="", widget=widget, **kw)  # type: ignore[arg-type]


def test_an_absent_boolean_stays_absent_until_switched_on() -> None:
    f = F("bool")
    base = shown_value(f, None)
    assert base is False
    assert field_value(f, False, None, base) is None
    assert field_value(f, True, None, base) is True


def test_an_explicit_false_stays_false_and_can_become_true() -> None:
    f = F("bool")
    base = shown_value(f, False)
    assert field_value(f, False, False, base) is False
    assert field_value(f, True, False, base) is True


def test_untouched_values_keep_their_type_and_text_exactly() -> None:
    for widget, value in (("line", 12), ("text", "a\rb"), ("number", math.nan), ("list", ["  x ", 3])):
        f = F(widget)
        base = shown_value(f, value)
        assert field_value(f, base, value, base) is value


def test_changed_values_are_parsed() -> None:
    assert field_value(F("number"), "1,5", 1, "1") == 1.5
    assert field_value(F("list"), "a\n\n b \n", [], "") == ["a", "b"]
    assert field_value(F("line"), "x\r\ny", "", "") == "x\ny"
    assert field_value(F("enum", choices=("a", "b")), None, "a", "a") == ""
    assert shown_value(F("enum", choices=("a", "b")), "zelf") == "zelf"  # offered, not lost


def test_merge_keeps_an_empty_table_and_a_value_the_form_cannot_show() -> None:
    original = {"t": {}, "u": "geen tabel", "v": {"a": 1}}
    out = merge_form(original, {"t": {"a": None}, "u": {"a": None}, "v": {"a": None}})
    assert out == {"t": {}, "u": "geen tabel"}  # v's only sub-field was emptied: v goes


def test_tables_unchanged_is_the_same_list_added_empty_items_are_dropped() -> None:
    items = [{"periode": "Q1", "omschrijving": "x", "extra": 1}]
    same = tables_value(items, [(items[0], {"periode": "Q1", "omschrijving": "x"})])
    assert same is items
    added = tables_value(items, [(items[0], {"periode": "Q1", "omschrijving": "x"}), (None, {"periode": None})])
    assert added is items
    grown = tables_value(items, [(items[0], {"periode": "Q2", "omschrijving": "x"}), (None, {"periode": "Q3"})])
    assert grown == [{"periode": "Q2", "omschrijving": "x", "extra": 1}, {"periode": "Q3"}]
    assert tables_value(None, []) is None
    assert tables_value("kapot", []) == "kapot"
