"""Starting the full-screen app from the CLI (kept apart so CLI commands never import Textual)."""

from __future__ import annotations

import argparse

from .app import make_app


def run_app(args: argparse.Namespace) -> int:
    """Open the app on the chosen repository; returns the process exit code."""
    app = make_app(repo=args.repo, lang=args.lang)
    app.run()
    return int(app.return_code or 0)
