"""The national picture: every region's cards and their history in one SQLite database (issue #17).

``build.build(db, repos)`` reads one or more region repositories (incrementally: only commits not
seen before) into the tables of ``schema``; ``metadata`` describes them for Datasette.
No Textual here, and no words for users: errors carry a code that ``tui/locale`` phrases.
"""
