"""The first-run welcome: the three panels, the five keys that matter and where help is.

Shown once, in a real terminal, to someone without a config file; closing it writes the marker
``<user state dir>/kaartenbak/welcomed`` so it does not come back.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_state_dir
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Button, Static

from tui.core.config import Config
from tui.core.library import Library

from ..i18n import lazy, t
from ..seam import HasLibrary

# (binding id, default keys, what it does) for the keys a new user needs first
KEYS = (
    ("next-panel", "tab", "welcome.key_tab"),
    ("toggle-tree", "t", "welcome.key_tree"),
    ("search", "slash", "welcome.key_search"),
    ("list-open", "enter", "welcome.key_open"),
    ("edit-card", "e", "welcome.key_edit"),
    ("commit", "c", "welcome.key_commit"),
    ("sync", "s", "welcome.key_sync"),
)


def marker_path() -> Path:
    """The file whose presence means the welcome has been seen."""
    return Path(user_state_dir("kaartenbak")) / "welcomed"


def should_welcome(config: Config) -> bool:
    """A first start: no config file and the welcome never closed before."""
    return not config.exists and not marker_path().exists()


def remember_welcomed() -> None:
    """Write the marker (called in a worker; a read-only home just means the welcome returns)."""
    path = marker_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("1\n", encoding="utf-8")
    except OSError:
        pass


def shown_keys(binding_id: str, default: str, keymap: dict[str, str]) -> str:
    """The key(s) for a binding as the user will press them, honouring their keymap."""
    keys = keymap.get(binding_id, default)
    return ", ".join(
        k.strip().replace("slash", "/").replace("question_mark", "?") for k in keys.split(",") if k.strip()
    )


def repo_line(library: Library | None, keymap: dict[str, str]) -> str:
    """What the welcome says about the repository it opened: how many cards, or that it is empty."""
    if library is None:
        return ""
    root = str(library.workspace.root)
    if not library.loaded:
        return t("welcome.loading", root=root)
    count = len(library.cards)
    if count or library.file_problems:
        return t("welcome.cards", count=count, root=root)
    return t("welcome.empty", root=root, new=shown_keys("new-card", "n", keymap))


def welcome_text(keymap: dict[str, str], library: Library | None = None) -> Text:
    """The welcome's body: panels, keys, the repository and its cards, help."""
    out = Text()
    out.append(t("welcome.title") + "\n\n", style="bold")
    out.append(t("welcome.intro") + "\n\n")
    out.append(t("welcome.panels") + "\n", style="bold underline")
    for key in ("welcome.panel_tree", "welcome.panel_list", "welcome.panel_view"):
        out.append(f"  • {t(key)}\n")
    out.append("\n" + t("welcome.keys") + "\n", style="bold underline")
    for binding_id, default, what in KEYS:
        out.append(f"  {shown_keys(binding_id, default, keymap):<10}", style="bold")
        out.append(t(what) + "\n")
    about = repo_line(library, keymap)
    if about:
        out.append("\n" + about + "\n", style="bold")
    else:
        out.append("\n")
    out.append(
        t(
            "welcome.help",
            help=shown_keys("help", "question_mark,f1", keymap),
            palette="ctrl+p",
            overview=shown_keys("overview", "o", keymap),
        )
        + "\n"
    )
    return out


class WelcomeScreen(ModalScreen[None]):
    """A short introduction; enter, escape or the button closes it."""

    BINDINGS = [Binding("escape,enter", "dismiss", lazy("keys.close"), id="welcome-close")]
    LOAD_POLL = 0.2  # seconds between looks at whether the cards are read (to say how many)

    def __init__(self, keymap: dict[str, str] | None = None, library: Library | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})
        self._library = library
        self._poll: Timer | None = None

    @property
    def library(self) -> Library | None:
        """The repository's cards: given, or the app's."""
        if self._library is None:
            app = self.app
            self._library = app.library if isinstance(app, HasLibrary) else None
        return self._library

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome-box"):
            yield Static(welcome_text(self.keymap, self.library), id="welcome-text", markup=False)
            yield Static(Text(t("welcome.close_hint")), id="welcome-hint", markup=False)
            with Center():
                yield Button(t("welcome.start"), id="welcome-start", variant="primary")

    def on_mount(self) -> None:
        # enter works at once, and a short terminal still shows the title rather than the button
        self.query_one("#welcome-start", Button).focus(scroll_visible=False)
        library = self.library
        if library is not None and not library.loaded:
            self._poll = self.set_interval(self.LOAD_POLL, self._check_loaded)

    def _check_loaded(self) -> None:
        library = self.library
        if (library is None or library.loaded) and self._poll is not None:
            self._poll.stop()
            self._poll = None
            self.query_one("#welcome-text", Static).update(welcome_text(self.keymap, library))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
