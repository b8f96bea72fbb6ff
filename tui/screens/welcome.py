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
from textual.widgets import Button, Static

from tui.core.config import Config

from ..i18n import lazy, t

# (binding id, default keys, what it does) for the keys a new user needs first
KEYS = (
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


def welcome_text(keymap: dict[str, str]) -> Text:
    """The welcome's body: panels, keys, the first card, help."""
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
    out.append("\n" + t("welcome.first_card", new=shown_keys("new-card", "n", keymap)) + "\n")
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

    def __init__(self, keymap: dict[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="welcome-box"):
            yield Static(welcome_text(self.keymap), id="welcome-text", markup=False)
            yield Static(Text(t("welcome.close_hint")), id="welcome-hint", markup=False)
            with Center():
                yield Button(t("welcome.start"), id="welcome-start", variant="primary")

    def on_mount(self) -> None:
        # enter works at once, and a short terminal still shows the title rather than the button
        self.query_one("#welcome-start", Button).focus(scroll_visible=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)
