"""CLI tests: each test starts and ends in Dutch, whatever language a ``main([... "--lang", "en" ...])`` chose.

``tui.cli.main`` sets the process-wide display language; without this, a test calling the core
directly after an English CLI run would read English words.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tui.i18n import set_language


@pytest.fixture(autouse=True)
def dutch_again() -> Iterator[None]:
    set_language("nl")
    yield
    set_language("nl")
