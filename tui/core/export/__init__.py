"""Export: cards as Markdown, CSV for Dutch Excel and one printable HTML page.

May import ``tui.core.cards`` and ``tui.core.search``; never git or the UI.
"""
