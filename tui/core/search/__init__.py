"""Search: the query language and the inverted index that keeps up with typing.

May import ``tui.core.cards`` (for card text and folding), never git, sync or the UI.
"""
