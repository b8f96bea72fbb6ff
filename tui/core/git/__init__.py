"""Git: one cards repository through git, its state, commits, history, blame and field diffs.

Every git process Kaartenbak starts runs from this room (or ``tui.core.sync`` on top of it), and
each holds the repository's process-wide lock (``gitrepo.repo_lock``), so two threads' git calls
never overlap. May import ``tui.core.cards``; never the UI.
"""
