"""CI workflows for reviewing on a forge (Forgejo, GitLab, GitHub): validate, then report the changes.

Each workflow installs Kaartenbak (``KAARTENBAK_PACKAGE``: a pip requirement, ``kaartenbak`` or
a ``git+https://…`` address), runs ``kaartenbak validate cards/`` on every push and request, and
for a merge/pull request runs ``kaartenbak changes`` from the merge base with the target branch
to the request: an HTML report as an artifact and a Markdown summary in the job log. The review
commands are one shell script shared by the three templates, so a test runs exactly what CI runs.
A forge's protected branches (required review, required passing job) are how a group enforces
review if it wants to; Kaartenbak itself never blocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.core.cards.atomic import write_atomic

FORGES = ("forgejo", "gitlab", "github")
REPORT = "kaartenbak-wijzigingen.html"
SUMMARY = "kaartenbak-wijzigingen.md"

# $TARGET: the request's target branch. Runs in the checked-out request with full history.
REVIEW_SCRIPT = f"""set -eu
git fetch --no-tags origin "$TARGET"
BASE=$(git merge-base FETCH_HEAD HEAD)
kaartenbak changes "$BASE" HEAD --format html -o {REPORT}
kaartenbak changes "$BASE" HEAD --format md -o {SUMMARY}
cat {SUMMARY}
"""


def _block(script: str, indent: int) -> str:
    pad = " " * indent
    return "\n".join(pad + line if line else "" for line in script.rstrip("\n").split("\n"))


GITHUB = f"""# Kaartenbak: check the cards, report what a pull request changes ('kaartenbak init --ci github').
# Set KAARTENBAK_PACKAGE to how pip installs Kaartenbak here (a package name or git+https://... address).
# To require review: protect the main branch (Settings > Branches) and require this job to pass.
name: kaartenbak
on:
  push:
    branches: [main]
  pull_request:
jobs:
  kaartenbak:
    runs-on: ubuntu-latest
    env:
      KAARTENBAK_PACKAGE: kaartenbak
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Kaartenbak installeren
        run: python -m pip install "$KAARTENBAK_PACKAGE"
      - name: Kaarten controleren
        run: kaartenbak validate cards/
      - name: Wijzigingen van dit verzoek
        if: github.event_name == 'pull_request'
        env:
          TARGET: ${{{{ github.base_ref }}}}
        run: |
{_block(REVIEW_SCRIPT, 10)}
          cat {SUMMARY} >> "$GITHUB_STEP_SUMMARY"
      - name: Verslag bewaren
        if: github.event_name == 'pull_request'
        uses: actions/upload-artifact@v4
        with:
          name: kaartenbak-wijzigingen
          path: {REPORT}
"""

FORGEJO = f"""# Kaartenbak: check the cards, report what a pull request changes ('kaartenbak init --ci forgejo').
# Set KAARTENBAK_PACKAGE to how pip installs Kaartenbak here (a package name or git+https://... address);
# 'runs-on' must name a label of your Forgejo runner.
# To require review: protect the main branch (Settings > Branches) and require this job to pass.
name: kaartenbak
on:
  push:
    branches: [main]
  pull_request:
jobs:
  kaartenbak:
    runs-on: docker
    container:
      image: node:20-bookworm
    env:
      KAARTENBAK_PACKAGE: kaartenbak
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - name: Kaartenbak installeren
        run: |
          apt-get update -qq && apt-get install -y -qq python3-venv
          python3 -m venv /tmp/kaartenbak
          /tmp/kaartenbak/bin/pip install "$KAARTENBAK_PACKAGE"
          echo /tmp/kaartenbak/bin >> "$GITHUB_PATH"
      - name: Kaarten controleren
        run: kaartenbak validate cards/
      - name: Wijzigingen van dit verzoek
        if: github.event_name == 'pull_request'
        env:
          TARGET: ${{{{ github.base_ref }}}}
        run: |
{_block(REVIEW_SCRIPT, 10)}
      - name: Verslag bewaren
        if: github.event_name == 'pull_request'
        uses: actions/upload-artifact@v3
        with:
          name: kaartenbak-wijzigingen
          path: {REPORT}
"""

GITLAB = f"""# Kaartenbak: check the cards, report what a merge request changes ('kaartenbak init --ci gitlab').
# Set KAARTENBAK_PACKAGE to how pip installs Kaartenbak here (a package name or git+https://... address).
# To require review: protect the main branch and set merge request approvals (Settings > Merge requests).
kaartenbak:
  image: python:3.12
  variables:
    GIT_DEPTH: "0"
    KAARTENBAK_PACKAGE: kaartenbak
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - python -m pip install "$KAARTENBAK_PACKAGE"
    - kaartenbak validate cards/
    - |
      if [ -n "${{CI_MERGE_REQUEST_TARGET_BRANCH_NAME:-}}" ]; then
        TARGET="$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
{_block(REVIEW_SCRIPT, 8)}
      fi
  artifacts:
    when: always
    expose_as: Kaartenbak wijzigingen
    paths:
      - {REPORT}
"""

PATHS = {
    "forgejo": Path(".forgejo/workflows/kaartenbak.yml"),
    "gitlab": Path(".gitlab-ci.yml"),
    "github": Path(".github/workflows/kaartenbak.yml"),
}
TEMPLATES = {"forgejo": FORGEJO, "gitlab": GITLAB, "github": GITHUB}


class CiExists(Exception):
    """The workflow file is already there with other content; it is never overwritten.

    ``code`` is ``changes.ci_exists`` with ``params`` (path).
    """

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.code = "changes.ci_exists"
        self.params = {"path": str(path)}
        self.path = path


@dataclass(frozen=True)
class CiWritten:
    """Which workflow file was written (or was already identical)."""

    forge: str
    path: Path
    changed: bool


def workflow(forge: str) -> str:
    """The workflow text for ``forge`` (forgejo, gitlab or github)."""
    return TEMPLATES[forge]


def write_workflow(root: Path, forge: str) -> CiWritten:
    """Write the workflow of ``forge`` into the repository at ``root``; never overwrites other content."""
    path = root / PATHS[forge]
    text = workflow(forge)
    if path.exists():
        if path.read_text(encoding="utf-8", errors="replace") == text:
            return CiWritten(forge, path, False)
        raise CiExists(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return CiWritten(forge, path, True)
