"""How a card file that cannot be listed as a card is shown: its row key and its explanation."""

from __future__ import annotations

from pathlib import Path

from tui.core.cards.card import LoadError
from tui.core.library import FileProblem

from ..i18n import t

PROBLEM_KEY = "\0file:"  # row key of a file problem (no card id or path starts with NUL)


def problem_text(problem: FileProblem, root: Path) -> tuple[str, list[str]]:
    """Title and lines that explain a file problem: where, why and how to fix it."""
    try:
        rel = problem.path.relative_to(root).as_posix()
    except ValueError:
        rel = str(problem.path)
    if isinstance(problem, LoadError):
        lines = [t("files.title_unreadable")]
        if problem.line:
            lines.append(t("files.where", line=problem.line, column=problem.column or 1))
        lines.append(t("files.reason", message=problem.message))
        lines.append(t("files.fix_conflict") if problem.conflict else t("files.fix_unreadable"))
        return rel, lines
    try:
        first = problem.first.relative_to(root).as_posix()
    except ValueError:
        first = str(problem.first)
    return rel, [
        t("files.title_duplicate"),
        t("files.duplicate", id=problem.card_id, first=first),
        t("files.fix_duplicate"),
    ]
