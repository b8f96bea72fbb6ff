"""Words on screen in the UI's language, looked up when shown rather than when a module is imported.

Textual copies binding descriptions into each class's ``_merged_bindings`` when the class is
created, and from there into every node's ``_bindings``. Our ``BINDINGS`` use ``lazy("key")``
descriptions (strings that remember their catalogue key); Textual's own bindings ("Dismiss
menu", "Quit", ...) are mapped from their English text to a ``textual.*`` catalogue key.
``relabel()`` replaces every such description with the word in the language now, in every
widget class and every live node, and asks the screens to redraw their footers. It runs when
the language changes and when the app starts, so the language can be chosen at any time and
imports stay at module level.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

from rich.align import Align
from rich.text import Text
from textual._context import active_app
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingsMap
from textual.command import CommandList, CommandPalette
from textual.dom import DOMNode
from textual.screen import Screen
from textual.theme import ThemeProvider

# the Textual widgets we use, imported now so their bindings exist before the first relabel()
from textual.widgets import (  # noqa: F401 (Select is also given a prompt in our language)
    Button,
    Checkbox,
    DataTable,
    Footer,
    Input,
    OptionList,
    Select,
    Static,
    Switch,
    TextArea,
    Tree,
)
from textual.widgets.option_list import Option

from .i18n import Lazy, catalogue, on_language_change, shown, t

__all__ = ["LocalizedApp", "Palette", "describe", "relabel", "textual_word"]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def textual_word(english: str) -> str:
    """One of Textual's own English UI words in the current language (unknown words stay English)."""
    key = f"textual.{_slug(english)}"
    return t(key) if key in catalogue("nl") else english


def _lazy_for(description: str) -> str:
    """The description as a ``Lazy`` word when we know it (ours or Textual's), else unchanged."""
    if isinstance(description, Lazy):
        return description.again()
    key = f"textual.{_slug(description)}" if description else ""
    if key and key in catalogue("nl"):
        return Lazy(key)
    return description


def _relabelled(binding: Binding) -> Binding:
    description, tooltip = _lazy_for(binding.description), _lazy_for(binding.tooltip)
    if description is binding.description and tooltip is binding.tooltip:
        return binding
    return dataclasses.replace(binding, description=description, tooltip=tooltip)


def _relabel_map(bindings: BindingsMap | None) -> None:
    if bindings is None:
        return
    for key, found in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [_relabelled(b) for b in found]


def _classes(root: type[DOMNode] = DOMNode) -> Iterator[type[DOMNode]]:
    seen: set[type] = set()
    stack = [root]
    while stack:
        cls = stack.pop()
        if cls in seen:
            continue
        seen.add(cls)
        yield cls
        stack.extend(cls.__subclasses__())


def _nodes(app: App[Any]) -> Iterable[DOMNode]:
    yield app
    screens = {*app.screen_stack, *app._installed_screens.values()}
    for screen in screens:
        if isinstance(screen, DOMNode):
            yield screen
            yield from screen.walk_children(with_self=False)


def relabel(app: App[Any] | None = None) -> None:
    """Every binding label of every widget class (and of ``app``'s live nodes) in the current language."""
    for cls in _classes():
        _relabel_map(cls.__dict__.get("_merged_bindings"))
        listed = cls.__dict__.get("BINDINGS")
        if isinstance(listed, list):  # our help screen reads BINDINGS lists
            cls.BINDINGS = [_relabelled(b) if isinstance(b, Binding) else b for b in listed]
    _select_prompt()
    if app is None:
        return
    for node in _nodes(app):
        _relabel_map(node._bindings)
    for screen in app.screen_stack:
        screen.refresh_bindings()


def _select_prompt() -> None:
    """Textual's Select says "Select" when nothing is chosen: its default prompt in our language."""
    defaults = Select.__init__.__kwdefaults__
    if defaults is not None and "prompt" in defaults:
        defaults["prompt"] = t("textual.select_prompt")


def describe(binding: Binding) -> str:
    """What a binding does, in the current language (for our help page)."""
    return shown(_lazy_for(binding.description))


class Palette(CommandPalette):
    """Textual's command palette with its own words (placeholder, "no matches") in the UI's language."""

    def __init__(self, *args: object, placeholder: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, placeholder=placeholder or textual_word("Search for commands…"), **kwargs)  # type: ignore[arg-type]

    def _start_no_matches_countdown(self, search_value: str) -> None:  # Textual 8.2.8's, with our words
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(textual_word("No matches found"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)


class LocalizedApp(App[int]):
    """Textual's built-in commands, palette and hints in the UI's language; labels current from the start."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        relabel(self)

    def on_mount(self) -> None:
        relabel(self)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield command._replace(title=textual_word(command.title), help=textual_word(command.help))

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(cast("App[object]", self)):
            self.push_screen(Palette(id="--command-palette"))

    def search_themes(self) -> None:
        self.push_screen(Palette(providers=[ThemeProvider], placeholder=textual_word("Search for themes…")))

    def action_help_quit(self) -> None:
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    t("textual.press_key_to_quit", key=key),
                    title=textual_word("Do you want to quit?"),
                    markup=False,
                )
                return


on_language_change(lambda _lang: relabel(_running_app()))


def _running_app() -> App[Any] | None:
    try:
        return active_app.get()
    except LookupError:
        return None
