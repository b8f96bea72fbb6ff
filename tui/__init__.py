"""Kaartenbak: project cards of a regional health-care plan, kept in git, edited in a TUI."""

__version__ = "0.1.0"

# the core returns codes and parameters; this makes every entry point (app, CLI, merge driver,
# tests) phrase them with the catalogues in tui/locale (plain Python, no Textual)
from . import i18n as _i18n  # noqa: F401
