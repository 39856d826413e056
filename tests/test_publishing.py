"""CI and contributor tooling: the GitHub workflows, issue forms and the pre-commit hook.

The workflows are checked against GitHub's own schemas (SchemaStore's, vendored by check-jsonschema,
so no network is needed), then for what the schema cannot say: every action pinned to a commit,
least privilege per job, no script injection, and the commands they run doing what they claim.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import PROJECT

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (PROJECT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as true; GitHub reads it as the word.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_there_is_a_pull_request_and_a_publish_workflow():
    triggers = {path.name: set(load(path)["on"]) for path in WORKFLOWS}
    assert triggers == {
        "pull-request.yml": {"pull_request", "workflow_dispatch"},
        "publish.yml": {"push", "workflow_dispatch", "schedule"},
        "proposal.yml": {"issues"},
    }
    assert load(PROJECT / ".github/workflows/publish.yml")["on"]["push"]["branches"] == ["main"]


def test_workflows_and_issue_forms_validate_against_githubs_schemas():
    for schema, files in (
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [PROJECT / ".github/ISSUE_TEMPLATE/config.yml"]),
    ):
        assert files
        result = check_jsonschema(schema, *files)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_does_catch_a_broken_workflow(tmp_path: Path):
    broken = tmp_path / "broken.yml"
    text = (PROJECT / ".github/workflows/publish.yml").read_text(encoding="utf-8")
    broken.write_text(
        text.replace("    permissions:\n      contents: read", "    permission:\n      contents: read", 1), encoding="utf-8"
    )
    result = check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode == 1
    assert "permission" in result.stdout


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version_noted():
    for path in WORKFLOWS:
        raw = path.read_text(encoding="utf-8")
        for job_id, step in steps(load(path)):
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{path.name} {job_id}: {step['uses']}"
                assert re.search(re.escape(step["uses"]) + r" # v\d+\.\d+\.\d+$", raw, re.M), step["uses"]


def test_no_trigger_runs_a_pull_requests_code_with_the_repositorys_secrets():
    for path in WORKFLOWS:
        raw = path.read_text(encoding="utf-8")
        assert "pull_request_target" not in raw and "workflow_run" not in raw, path.name


def test_permissions_are_least_privilege_per_job():
    granted: dict[tuple[str, str], dict] = {}
    for path in WORKFLOWS:
        workflow = load(path)
        # Nothing is granted at the top; a job without its own permissions gets read-only contents.
        assert workflow["permissions"] in ({}, {"contents": "read"}), path.name
        for job_id, job in workflow["jobs"].items():
            permissions = job.get("permissions", workflow["permissions"])
            assert isinstance(permissions, dict), f"{path.name} {job_id}: permissions must be listed, not read-all/write-all"
            granted[(path.name, job_id)] = permissions
    writers = {key: {scope for scope, level in perms.items() if level == "write"} for key, perms in granted.items()}
    writers = {key: scopes for key, scopes in writers.items() if scopes}
    assert writers == {
        ("publish.yml", "deploy"): {"pages", "id-token"},
        ("publish.yml", "release"): {"contents"},
        ("proposal.yml", "propose"): {"contents", "pull-requests", "issues"},
    }
    deploy = load(PROJECT / ".github/workflows/publish.yml")["jobs"]["deploy"]
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]


def test_no_expression_is_pasted_into_a_shell_script():
    # `${{ }}` inside run: is expanded before the shell reads it: text from a pull request (a branch
    # name, a title) would become commands. Values reach scripts through env: instead.
    for path in WORKFLOWS:
        for job_id, step in steps(load(path)):
            assert "${{" not in step.get("run", ""), f"{path.name} {job_id}: {step.get('name')}"


def test_checkouts_do_not_keep_the_token():
    for path in WORKFLOWS:
        for job_id, step in steps(load(path)):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, f"{path.name} {job_id}"


def test_the_pull_request_workflow_annotates_tests_and_uploads_a_preview():
    jobs = load(PROJECT / ".github/workflows/pull-request.yml")["jobs"]
    runs = {job_id: [step.get("run", "") for step in job["steps"]] for job_id, job in jobs.items()}
    assert 'make check CHECK_FLAGS="--format github"' in runs["content"]
    assert ".ci/run" in runs["tests"]
    assert "make build" in runs["preview"]
    upload = next(step for step in jobs["preview"]["steps"] if step.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    # The command the workflow runs really passes the flag through to kb check.
    dry = subprocess.run(
        ["make", "-n", "check", "CHECK_FLAGS=--format github"], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert re.search(r"kb check --content content --format github$", dry.stdout, re.M), dry.stdout


def test_the_publish_workflow_deploys_site_and_releases_the_offline_zip():
    jobs = load(PROJECT / ".github/workflows/publish.yml")["jobs"]
    build_steps = jobs["build"]["steps"]
    assert "make build" in [step.get("run") for step in build_steps]
    # The build learns its published address from the Pages API, for canonical links and the 404 page.
    make_build = next(step for step in build_steps if step.get("run") == "make build")
    assert make_build["env"]["KB_SITE_URL"] == "${{ steps.pages.outputs.url }}"
    assert "gh api" in next(step for step in build_steps if step.get("id") == "pages")["run"]
    uploads = {
        step["uses"].split("@")[0]: step["with"]["path"] for step in build_steps if "with" in step and "path" in step["with"]
    }
    assert uploads == {"actions/upload-pages-artifact": "site/", "actions/upload-artifact": "dist/*.zip"}
    assert jobs["deploy"]["needs"] == "build" and jobs["deploy"]["environment"]["name"] == "github-pages"
    assert jobs["release"]["needs"] == "deploy"
    assert "gh release create" in jobs["release"]["steps"][-1]["run"]


@pytest.fixture
def pre_commit_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}


def pre_commit(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_the_pre_commit_hook_is_valid_and_passes_on_the_real_content(pre_commit_env: dict[str, str]):
    assert pre_commit(pre_commit_env, "validate-config", ".pre-commit-config.yaml").returncode == 0
    result = pre_commit(pre_commit_env, "run", "kb-check", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_the_pre_commit_hook_stops_a_commit_of_broken_content(pre_commit_env: dict[str, str], sample_copy: Path):
    authority = sorted((sample_copy / "authorities").glob("*.yml"))[0]
    authority.write_text(authority.read_text(encoding="utf-8") + "district: [\n", encoding="utf-8")
    # The hook runs `make check`, which reads CONTENT from the environment.
    result = pre_commit({**pre_commit_env, "CONTENT": str(sample_copy)}, "run", "kb-check", "--all-files")
    assert result.returncode == 1
    assert f"{authority.name}:" in result.stdout and "YAML syntax error" in result.stdout
    assert "1 problem found. Nothing was built." in result.stdout


def test_a_nightly_build_is_dated_by_its_day_and_releases_nothing():
    # What is late is judged against the build's date: without a build each night it would move only with a commit.
    workflow = load(PROJECT / ".github/workflows/publish.yml")
    assert workflow["on"]["schedule"]
    dating = [step for step in workflow["jobs"]["build"]["steps"] if step.get("if") == "github.event_name == 'schedule'"]
    assert len(dating) == 1 and "SOURCE_DATE_EPOCH" in dating[0]["run"] and "Asia/Jerusalem" in dating[0]["run"]
    steps = [step.get("name") for step in workflow["jobs"]["build"]["steps"]]
    assert steps.index(dating[0]["name"]) < steps.index("make build")
    assert workflow["jobs"]["release"]["if"] == "github.event_name != 'schedule'"


def test_a_proposal_s_text_reaches_its_job_only_as_a_file_and_only_for_the_form_s_issues():
    workflow = load(PROJECT / ".github/workflows/proposal.yml")
    job = workflow["jobs"]["propose"]
    assert "'initiative-proposal'" in job["if"]  # the label the form gives (generator/forms.py)
    texts = [step for step in job["steps"] if "github.event.issue.body" in str(step.get("env", {}))]
    assert len(texts) == 1 and "$ISSUE_BODY" in texts[0]["run"] and ">" in texts[0]["run"]
    made = next(step for step in job["steps"] if step.get("id") == "entry")
    assert "--from-issue" in made["run"] and "kb new initiatives" in made["run"]
    assert not any("github.event.issue" in step.get("run", "") for step in job["steps"])
