"""Sync: sharing cards with the team's remote and merging them per field.

The field-level merge (used by git's merge driver and by the editor), fetch/merge/push, and
the conflict flow. May import ``tui.core.cards`` and ``tui.core.git``; never the UI.
"""
