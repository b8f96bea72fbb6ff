"""Kaartenbak: project cards of a regional health-care plan, kept in git, edited in a TUI."""

__version__ = "0.1.0"
