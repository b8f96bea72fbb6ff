"""The UI-free core: cards, schema, store, validation, search, git.

Nothing under ``tui.core`` imports Textual or Rich, so the CLI, the git merge driver and the
tests can use it without a terminal UI.
"""
