"""CI security steps: bandit (medium and above, reviewed ignore list) and pip-audit (with an offline snapshot).

    python .ci/security_scan.py bandit
    python .ci/security_scan.py pip-audit
    python .ci/security_scan.py snapshot     # refresh .ci/vuln-snapshot.json (needs the vulnerability service)

pip-audit asks the vulnerability service (PyPI/OSV). When it cannot be reached, the run says so and audits
the installed packages against the committed snapshot instead: a package version with an advisory in the
snapshot fails the run, and packages the snapshot does not cover are listed (never a silent pass).
"""

import json
import subprocess  # nosec B404 - runs the scanners
import sys
from datetime import date
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
IGNORE = ROOT / ".ci" / "bandit-ignore.txt"
SNAPSHOT = ROOT / ".ci" / "vuln-snapshot.json"


def bandit() -> int:
    ignored = {}
    for line in IGNORE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            path, test_id, reason = line.split(maxsplit=2)
            ignored[(path, test_id)] = reason
    args = [str(BIN / "bandit"), "-q", "-r", "zhaoshang", "demo", "-ll", "-x", "*/migrations/*", "-f", "json"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    findings = json.loads(result.stdout)["results"]
    new = [f for f in findings if (f["filename"], f["test_id"]) not in ignored]
    for f in new:
        print(f"bandit: {f['filename']}:{f['line_number']} {f['test_id']} {f['issue_severity']} {f['issue_text']}")
    print(f"bandit: {len(findings)} findings, {len(findings) - len(new)} in the reviewed list, {len(new)} new")
    return 1 if new else 0


def _audit_online() -> dict | None:
    args = [str(BIN / "pip-audit"), "--progress-spinner", "off", "-f", "json", "--timeout", "15"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    try:
        report = json.loads(result.stdout)
    except ValueError:
        return None
    audited = [d for d in report.get("dependencies", []) if "skip_reason" not in d]
    return report if audited else None  # nothing audited: the service was not reached


def pip_audit() -> int:
    report = _audit_online()
    if report is not None:
        vulns = [(d["name"], d["version"], v["id"]) for d in report["dependencies"] for v in d.get("vulns", [])]
        for name, version, vid in vulns:
            print(f"pip-audit: {name} {version}: {vid}")
        print(f"pip-audit: {len(report['dependencies'])} packages audited online, {len(vulns)} vulnerabilities")
        return 1 if vulns else 0
    print("pip-audit: the vulnerability service cannot be reached; auditing against the committed snapshot")
    if not SNAPSHOT.exists():
        print(f"pip-audit: no snapshot at {SNAPSHOT.relative_to(ROOT)} (make vuln-snapshot): failing")
        return 1
    snapshot = json.loads(SNAPSHOT.read_text())
    advisories = {(a["name"].lower(), a["version"]): a["ids"] for a in snapshot["advisories"]}
    covered = {name.lower() for name in snapshot["packages"]}
    installed = {d.metadata["Name"].lower(): d.version for d in metadata.distributions()}
    hits = [(n, v, advisories[(n, v)]) for n, v in installed.items() if (n, v) in advisories]
    for name, version, ids in hits:
        print(f"pip-audit (snapshot): {name} {version}: {', '.join(ids)}")
    uncovered = sorted(set(installed) - covered)
    print(
        f"pip-audit (snapshot of {snapshot['date']}, source {snapshot['source']}): {len(installed)} packages, "
        f"{len(hits)} with advisories, {len(uncovered)} not in the snapshot: {', '.join(uncovered) or '-'}"
    )
    return 1 if hits else 0


def snapshot() -> int:
    report = _audit_online()
    installed = {d.metadata["Name"]: d.version for d in metadata.distributions()}
    if report is None:
        print("snapshot: the vulnerability service cannot be reached; the snapshot is not refreshed")
        return 1
    advisories = [
        {"name": d["name"], "version": d["version"], "ids": [v["id"] for v in d["vulns"]]}
        for d in report["dependencies"]
        if d.get("vulns")
    ]
    data = {
        "date": date.today().isoformat(),
        "source": "pip-audit (PyPI advisory service)",
        "packages": installed,
        "advisories": advisories,
    }
    SNAPSHOT.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    print(f"snapshot: {len(installed)} packages, {len(advisories)} with advisories -> {SNAPSHOT.name}")
    return 0


if __name__ == "__main__":
    sys.exit({"bandit": bandit, "pip-audit": pip_audit, "snapshot": snapshot}[sys.argv[1]]())
