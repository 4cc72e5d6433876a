"""The locks in requirements/ match pyproject.toml, and every install uses them.

Read offline from the files only: a new release upstream can never turn this red. A version
edited by hand in a lock is caught at install time by the hash check (`--require-hashes`).
"""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCKS = {
    "prod.lock": [],
    "dev.lock": ["dev"],
    "bench.lock": ["dev", "bench"],
}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)", re.MULTILINE)


def wanted(extras: list[str]) -> dict[str, Requirement]:
    lines = list(PYPROJECT["dependencies"])
    for extra in extras:
        lines += PYPROJECT["optional-dependencies"][extra]
    reqs = [Requirement(line) for line in lines]
    return {canonicalize_name(r.name): r for r in reqs}


def pins(text: str) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def direct(text: str) -> set[str]:
    """Packages the lock says come straight from pyproject.toml."""
    found, current = set(), None
    for line in text.splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1))
        elif current and "ouderportaal (pyproject.toml)" in line:
            found.add(current)
    return found


def lock_problems(lock_text: str, extras: list[str]) -> list[str]:
    problems = []
    locked = pins(lock_text)
    want = wanted(extras)
    for name, req in want.items():
        if name not in locked:
            problems.append(f"{req} is in pyproject.toml but not locked")
        elif not req.specifier.contains(locked[name], prereleases=True):
            problems.append(f"{name}=={locked[name]} in the lock is outside {req}")
    for name in sorted(direct(lock_text) - set(want)):
        problems.append(f"{name} is locked as a direct dependency but not in pyproject.toml")
    lines = lock_text.splitlines()
    for index, line in enumerate(lines):
        if PIN.match(line) and "--hash=sha256:" not in "".join(lines[index : index + 2]):
            problems.append(f"{line.split()[0]} has no hash")
    return problems


@pytest.mark.parametrize("lock", LOCKS)
def test_lock_matches_pyproject(lock):
    problems = lock_problems((ROOT / "requirements" / lock).read_text(), LOCKS[lock])
    assert not problems, (
        f"requirements/{lock} does not match pyproject.toml; run `make lock`:\n  "
        + "\n  ".join(problems)
    )


def test_dependency_only_in_pyproject_is_caught(monkeypatch):
    text = (ROOT / "requirements" / "prod.lock").read_text()
    extended = {**PYPROJECT, "dependencies": [*PYPROJECT["dependencies"], "not-a-real-package>=8"]}
    monkeypatch.setitem(globals(), "PYPROJECT", extended)
    assert lock_problems(text, []) == ["not-a-real-package>=8 is in pyproject.toml but not locked"]


def test_dependency_only_in_lock_is_caught():
    text = (ROOT / "requirements" / "prod.lock").read_text()
    text += "extra-thing==1.0 \\\n    --hash=sha256:00\n    # via ouderportaal (pyproject.toml)\n"
    assert lock_problems(text, []) == [
        "extra-thing is locked as a direct dependency but not in pyproject.toml"
    ]


def test_production_lock_has_no_development_tools():
    locked = pins((ROOT / "requirements" / "prod.lock").read_text())
    for tool in ("pytest", "ruff", "playwright", "hypothesis", "uv", "pyinstrument"):
        assert tool not in locked


def test_make_installs_only_from_locks_with_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(UV) pip sync --python $(PY) --require-hashes $(1)" in makefile
    assert "$(STAMP): requirements/dev.lock" in makefile
    assert "$(BENCH_STAMP): $(STAMP) requirements/bench.lock" in makefile
    assert "pip install -e" not in makefile and 'pip install ".' not in makefile


def test_docker_image_installs_the_production_lock_then_the_project_without_deps():
    joined = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    steps = [
        " ".join(line.split()) for line in joined.splitlines() if line.startswith(("RUN", "COPY"))
    ]
    installs = [s for s in steps if "pip install" in s]
    assert installs, "the Dockerfile installs nothing"
    assert "--require-hashes" in installs[0] and "requirements/prod.lock" in installs[0]
    assert all("dev.lock" not in s and "bench.lock" not in s for s in steps)
    assert "pip install --no-deps . " in installs[1]
    # The whole tree is copied before the project is installed, so a new app is never left out.
    assert steps.index("COPY . .") < steps.index(installs[1])
