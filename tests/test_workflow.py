"""The CI workflow is valid YAML, runs when it should, and its commands are the README's own."""

from __future__ import annotations

import re

import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github/workflows/site.yml"


def readme_commands() -> set[str]:
    """Every command line in the README's shell blocks, without comments."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return {line.split("  #")[0].strip() for block in blocks for line in block.splitlines() if line.strip()}


def test_workflow_runs_the_documented_commands() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"]["branches"] == ["main"]
    assert len(triggers["schedule"]) == 1 and re.fullmatch(r"\d+ \d+ \* \* \*", triggers["schedule"][0]["cron"])
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = [step["run"] for step in steps if "run" in step]
    documented = readme_commands()
    commands = ["scripts/test", "samizdat build site", "samizdat check site", "samizdat deploy site"]
    for command in commands:
        assert command in documented, f"the README does not document {command!r}"
        assert command in runs, f"the workflow does not run {command!r}"
    order = [next(i for i, run in enumerate(runs) if run == c) for c in commands]
    assert order == sorted(order)  # tests and the site's check first: a failure publishes nothing
    deploy = next(step for step in steps if step.get("run") == "samizdat deploy site")
    assert "pull_request" in deploy["if"]  # pull requests are tested, never published
    assert workflow["permissions"]["contents"] == "write"


def test_ci_runs_the_documented_test_command() -> None:
    """.ci/run and the README's test command are one: what CI proves is what a newcomer runs."""
    assert "scripts/test" in readme_commands()
    ci = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert [line for line in ci.splitlines() if line.startswith("exec ")] == ["exec scripts/test"]
    script = (REPO / "scripts/test").read_text(encoding="utf-8")
    assert "pytest" in script and "GITHUB_PATH" in script  # later workflow steps find the same samizdat
