"""The forge CI workflows: written by ``kaartenbak init --ci``, valid YAML with documented keys only,
and the commands they run work on a real repository with a branch."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import git, make_repo
from tui.cli import main
from tui.core.review.forge_ci import FORGES, PATHS, REPORT, SUMMARY, workflow

ACTIONS_TOP = {"name", "on", "jobs"}
ACTIONS_JOB = {"runs-on", "container", "env", "steps"}
ACTIONS_STEP = {"name", "uses", "with", "run", "if", "env"}
ACTIONS_OTHER = {"push", "pull_request", "branches", "image", "fetch-depth", "python-version", "path", "TARGET",
                 "KAARTENBAK_PACKAGE", "kaartenbak"}  # fmt: skip
GITLAB_JOB = {"image", "variables", "rules", "script", "artifacts"}
GITLAB_OTHER = {"if", "GIT_DEPTH", "KAARTENBAK_PACKAGE", "when", "expose_as", "paths", "kaartenbak"}


def _keys(text: str) -> set[str]:
    """Every mapping key outside block scalars (a tiny structural reading of the YAML)."""
    keys: set[str] = set()
    block: int | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        if block is not None and indent > block:
            continue
        block = None
        m = re.match(r"\s*(?:- )?([A-Za-z_][\w-]*):(?:\s|$)", line)
        if m:
            keys.add(m.group(1))
        if line.rstrip().endswith("|"):
            block = indent
    return keys


def _yaml() -> object | None:
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        return None
    return yaml


@pytest.mark.parametrize("forge", FORGES)
def test_workflow_uses_documented_keys_only(forge: str) -> None:
    text = workflow(forge)
    allowed = (
        GITLAB_JOB | GITLAB_OTHER if forge == "gitlab" else ACTIONS_TOP | ACTIONS_JOB | ACTIONS_STEP | ACTIONS_OTHER
    )
    assert _keys(text) <= allowed, _keys(text) - allowed
    assert "\t" not in text
    yaml = _yaml()
    if yaml is None:
        return
    data = yaml.safe_load(text)  # type: ignore[attr-defined]
    if forge == "gitlab":
        job = data["kaartenbak"]
        assert set(job) <= GITLAB_JOB and isinstance(job["script"], list)
        assert set(job["artifacts"]) <= {"when", "expose_as", "paths"} and job["artifacts"]["paths"] == [REPORT]
    else:
        assert set(data) <= {"name", True, "on", "jobs"}  # YAML 1.1 reads `on` as true; Actions reads it as "on"
        job = data["jobs"]["kaartenbak"]
        assert set(job) <= ACTIONS_JOB
        for step in job["steps"]:
            assert set(step) <= ACTIONS_STEP and ("uses" in step) != ("run" in step)


def _review_block(forge: str) -> str:
    """The shell the workflow runs for a request, exactly as written in the template."""
    text = workflow(forge)
    if forge == "gitlab":
        start = text.index("    - |\n") + len("    - |\n")
        body = text[start : text.index("  artifacts:")]
        return textwrap.dedent(body)
    start = text.index("Wijzigingen van dit verzoek")
    start = text.index("run: |\n", start) + len("run: |\n")
    body = text[start : text.index("      - name: Verslag bewaren")]
    return textwrap.dedent(body)


@pytest.fixture
def request_clone(tmp_path: Path) -> Path:
    """A clone on a branch 'voorstel' with one changed card, its remote's main being the target."""
    seed = make_repo(tmp_path / "seed", cards=["wbw-t1-1.1", "nml-b01.1"])
    git(tmp_path, "init", "-q", "--bare", "-b", "main", "remote.git")
    git(seed, "push", "-q", str(tmp_path / "remote.git"), "main")
    git(tmp_path, "clone", "-q", str(tmp_path / "remote.git"), "clone")
    clone = tmp_path / "clone"
    git(clone, "config", "user.name", "Indiener")
    git(clone, "config", "user.email", "indiener@example.org")
    git(clone, "switch", "-q", "-c", "voorstel")
    card = clone / "cards/wbw/wbw-t1-1.1.toml"
    card.write_text(card.read_text(encoding="utf-8").replace('title = "Welzijn op Recept"', 'title = "WoR"'))
    git(clone, "commit", "-qam", "Kortere titel")
    return clone


@pytest.mark.parametrize("forge", FORGES)
def test_review_commands_work_on_a_real_branch(forge: str, request_clone: Path, tmp_path: Path) -> None:
    bindir = str(Path(sys.executable).parent)
    assert (Path(bindir) / "kaartenbak").exists()
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", "")}
    env.update(TARGET="main", CI_MERGE_REQUEST_TARGET_BRANCH_NAME="main", GITHUB_STEP_SUMMARY=str(tmp_path / "sum"))
    check = subprocess.run(["kaartenbak", "validate", "cards/"], cwd=request_clone, env=env, capture_output=True)
    assert check.returncode == 0, check.stdout + check.stderr
    run = subprocess.run(
        ["bash", "-c", _review_block(forge)], cwd=request_clone, env=env, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert "WBW/T1/1.1" in run.stdout and "Indiener" in run.stdout  # the Markdown summary in the job log
    page = (request_clone / REPORT).read_text(encoding="utf-8")
    assert "<del>Welzijn op Recept</del>" in page and "<ins>WoR</ins>" in page
    assert (request_clone / SUMMARY).is_file()
    if forge == "github":
        assert "WBW/T1/1.1" in (tmp_path / "sum").read_text(encoding="utf-8")


@pytest.mark.parametrize("forge", FORGES)
def test_init_ci_writes_the_workflow_once(forge: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = make_repo(tmp_path / "repo", cards=["wbw-t1-1.1"])
    assert main(["init", str(repo), "--ci", forge]) == 0
    path = repo / PATHS[forge]
    assert path.read_text(encoding="utf-8") == workflow(forge)
    assert PATHS[forge].as_posix() in capsys.readouterr().out
    assert main(["init", str(repo), "--ci", forge]) == 0
    assert "niets veranderd" in capsys.readouterr().out
    path.write_text("# mijn eigen\n", encoding="utf-8")
    assert main(["init", str(repo), "--ci", forge]) == 2
    assert "overschrijft hem niet" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == "# mijn eigen\n"
    assert git(repo, "status", "--porcelain", "--", "cards") == ""


_PARSE = """
import json, sys, yaml
print(json.dumps({k: list(v) if isinstance(v, dict) else None for k, v in yaml.safe_load(sys.stdin.read()).items()}))
"""


@pytest.mark.parametrize("forge", FORGES)
def test_workflow_parses_with_a_pyyaml_elsewhere_on_the_machine(forge: str) -> None:
    """PyYAML is not a dependency; when a system Python has it, it must read every template."""
    import json
    import shutil

    python = shutil.which("python3")
    if python is None or subprocess.run([python, "-c", "import yaml"], capture_output=True).returncode != 0:
        pytest.skip("geen PyYAML op deze machine")
    run = subprocess.run([python, "-c", _PARSE], input=workflow(forge), capture_output=True, text=True, check=True)
    top = json.loads(run.stdout)
    assert ("kaartenbak" in top) if forge == "gitlab" else (top["jobs"] == ["kaartenbak"])
