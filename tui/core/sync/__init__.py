"""Sync: sharing cards with the team's remote and merging them per field.

``merge`` (the field-level merge used by git's merge driver and the editor), ``sync``
(fetch/merge/push, answering a ``SyncResult`` code), ``flow`` (the checks before a sync, switching
field merging on, what a sync changed) and ``conflicts`` (open conflicts per card and field, who
changed each side, resolve → validate → save → stage, record the merge). Everything answers data
with a ``code``; ``tui.sync_words`` phrases it for the CLI and the app. May import
``tui.core.cards``, ``tui.core.git`` and ``tui.core.workspace``; never the UI.
"""
