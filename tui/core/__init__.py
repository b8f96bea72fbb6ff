"""The UI-free core: every workflow Kaartenbak has, returning data for the CLI and the UI.

Nothing under ``tui.core`` imports Textual or Rich, so the CLI, the git merge driver and the
tests use it without a terminal UI. Rooms by capability: ``cards`` (one card read, checked and
written), ``search``, ``git``, ``sync`` and ``export``; the modules at this level are the
workspace (``workspace``, ``library``, caches, drafts, locks, config, overview) that ties the
rooms together.
"""
