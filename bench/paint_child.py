"""Child process for the first-paint figure: start an app headless and print the monotonic clock
(``time.perf_counter``, CLOCK_MONOTONIC, comparable with the parent's) at the first frame the
compositor renders for the wanted screen, then exit at once.

    python -m bench.paint_child app REPO paint|list CONFIG
    python -m bench.paint_child bare - paint -

``paint``: the browser screen's first rendered frame. ``list``: the first frame after the cards
are loaded and listed. ``bare``: a Textual app with one Static widget (the floor).
"""

from __future__ import annotations

import os
import sys
import time


def main() -> None:
    mode, repo, until, config = sys.argv[1:5]
    from textual.app import App

    original = App._display

    def ready(app: App, screen: object) -> bool:
        if mode == "bare":
            return True
        if type(screen).__name__ != "BrowserScreen":
            return False
        return until == "paint" or bool(getattr(screen, "loaded", False))

    def display(self: App, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        original(self, screen, renderable)
        if renderable is not None and not self._batch_count and ready(self, screen):
            sys.stdout.write(f"{time.perf_counter()!r}\n")
            sys.stdout.flush()
            os._exit(0)

    App._display = display  # type: ignore[method-assign]

    if mode == "bare":
        from textual.widgets import Static

        class Bare(App[None]):
            def compose(self):  # type: ignore[no-untyped-def]
                yield Static("Kaartenbak")

        app: App = Bare()
    else:
        from pathlib import Path

        from tui.app import make_app
        from tui.core.config import Config

        app = make_app(repo=repo, config=Config(path=Path(config)), use_cache=True)
    app.run(headless=True, size=(120, 40))
    os._exit(3)  # exited without painting


if __name__ == "__main__":
    main()
