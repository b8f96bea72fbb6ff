"""A ``ChoiceDialog`` sized to its text, for the questions the sync and conflict flows ask."""

from __future__ import annotations

from .choice import ChoiceDialog


def question(title: str, detail: str, choices: list[tuple[str, str, str]], cancel_id: str) -> ChoiceDialog:
    """A ChoiceDialog with class ``-fit``: wide enough for three buttons, no empty space."""
    dialog = ChoiceDialog(title, detail, choices, cancel_id)
    dialog.add_class("-fit")
    return dialog
