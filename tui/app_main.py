"""Starting the full-screen app from the CLI (kept apart so CLI commands never import Textual)."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    """Open the app on the chosen repository; returns the process exit code."""
    from tui.core.config import load_config
    from .i18n import set_language

    # key labels are read when the UI modules are imported: choose the language first
    set_language(args.lang or load_config().lang)
    from .app import make_app

    app = make_app(repo=args.repo, lang=args.lang)
    app.run()
    return int(app.return_code or 0)
