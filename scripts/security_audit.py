"""bandit (no high-severity findings) and pip-audit (no known vulnerabilities), for check.sh.

pip-audit audits the lock that production installs (requirements/prod.lock) and the development
lock, not the venv: what is audited is exactly what is deployed. It asks PyPI's vulnerability
API about every pinned package. Without network access every package comes back "not found";
that is reported as skipped, clearly, instead of failing CI or silently passing. A release
manager runs, where PyPI is reachable:

    .venv/bin/pip-audit --disable-pip --require-hashes -r requirements/prod.lock
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# Every top-level package with an apps.py (and the project package): a new app is never skipped.
APPS = ["ouderportaal"] + sorted(p.parent.name for p in ROOT.glob("*/apps.py"))
LOCKS = ["requirements/prod.lock", "requirements/dev.lock"]


def run_bandit() -> int:
    result = subprocess.run(
        [str(BIN / "bandit"), "-q", "-r", *APPS, "-x", "*/migrations/*", "-lll"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        print("bandit: high-severity findings (see above)")
        return 1
    print("bandit: no high-severity findings")
    return 0


def run_pip_audit() -> int:
    try:
        result = subprocess.run(
            [
                str(BIN / "pip-audit"),
                "--progress-spinner",
                "off",
                "-f",
                "json",
                "--disable-pip",
                "--require-hashes",
                *[arg for lock in LOCKS for arg in ("-r", lock)],
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
        )
    except subprocess.TimeoutExpired:
        print("pip-audit: SKIPPED, PyPI did not answer within 180 s (no network?)")
        return 0
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print("pip-audit: SKIPPED, could not run:", (result.stderr or result.stdout)[-500:])
        return 0
    deps = report.get("dependencies", [])
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    if vulnerable:
        for dep in vulnerable:
            ids = ", ".join(v["id"] for v in dep["vulns"])
            print(f"pip-audit: {dep['name']} {dep['version']}: {ids}")
        return 1
    if deps and len(skipped) == len(deps):
        print(
            f"pip-audit: SKIPPED, PyPI's JSON API is unreachable: none of {len(deps)} "
            "locked packages could be audited. Where PyPI is reachable run: .venv/bin/pip-audit "
            "--disable-pip --require-hashes -r requirements/prod.lock"
        )
        return 0
    note = f" ({len(skipped)} not on PyPI, not audited)" if skipped else ""
    print(
        f"pip-audit: no known vulnerabilities in {len(deps) - len(skipped)} locked packages{note}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_bandit() | run_pip_audit())
