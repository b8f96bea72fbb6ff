"""git's own line-based three-way merge of one file (``git merge-file``), for files that are no card."""

from __future__ import annotations

import subprocess
from pathlib import Path


def merge_file(ours: Path, base: Path, theirs: Path) -> int:
    """Merge ``theirs`` into ``ours`` against ``base``, writing conflict markers where lines clash.

    Git's exit code: 0 clean, the number of conflicts otherwise, negative on error. Runs inside a
    merge driver, a process git starts while it holds the repository, on temporary files."""
    cmd = ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", "--", str(ours), str(base), str(theirs)]
    return subprocess.run(cmd, check=False).returncode
