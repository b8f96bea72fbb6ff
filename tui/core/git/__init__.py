"""Git: one cards repository through git, its state, commits, history, blame and field diffs.

Every git process Kaartenbak starts runs from this room (or ``tui.core.sync`` on top of it).
May import ``tui.core.cards``; never the UI.
"""
