"""CI security steps: bandit (medium and above, reviewed ignore list) and pip-audit (with an offline snapshot).

    python .ci/security_scan.py bandit
    python .ci/security_scan.py pip-audit
    python .ci/security_scan.py snapshot     # refresh .ci/vuln-snapshot.json (needs the vulnerability service)

pip-audit asks the vulnerability service (PyPI/OSV). When it cannot be reached (as on the development machines,
whose proxy serves PyPI's project pages but not its per-version pages nor OSV), the run says so and falls back:
1. PyPI's project page (``/pypi/<name>/json``) lists the advisories of a project's *latest* release: every
   installed package at its latest release is audited live that way;
2. the others (an older release, e.g. Django held at its LTS line) are audited against the committed snapshot,
   and those the snapshot does not cover either are listed by name (never a silent pass).
A package version with an advisory from either source fails the run.
"""

import json
import subprocess  # nosec B404 - runs the scanners
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
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


def _audit_latest(installed: dict[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """({package: advisory ids} for the installed packages at their latest release, read from PyPI's project
    pages; [packages not audited this way]). Withdrawn advisories are left out."""

    def ask(name: str):
        url = f"https://pypi.org/pypi/{name}/json"
        try:
            with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310  # nosec B310 - fixed https host
                page = json.load(response)
        except (OSError, ValueError):
            return name, None, []
        vulns = [v["id"] for v in page.get("vulnerabilities") or [] if not v.get("withdrawn")]
        return name, page.get("info", {}).get("version"), vulns

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, sorted(installed)))
    audited = {name: vulns for name, latest, vulns in answers if latest == installed[name]}
    return audited, sorted(set(installed) - set(audited))


def pip_audit() -> int:
    report = _audit_online()
    if report is not None:
        vulns = [(d["name"], d["version"], v["id"]) for d in report["dependencies"] for v in d.get("vulns", [])]
        for name, version, vid in vulns:
            print(f"pip-audit: {name} {version}: {vid}")
        print(f"pip-audit: {len(report['dependencies'])} packages audited online, {len(vulns)} vulnerabilities")
        return 1 if vulns else 0
    print("pip-audit: the vulnerability service cannot be reached; PyPI's project pages, then the snapshot")
    installed = {d.metadata["Name"].lower(): d.version for d in metadata.distributions()}
    installed.pop("zhaoshang", None)  # this project, not a dependency
    live, rest = _audit_latest(installed)
    hits = [(n, installed[n], ids, "PyPI") for n, ids in live.items() if ids]
    snapshot = json.loads(SNAPSHOT.read_text()) if SNAPSHOT.exists() else {"advisories": [], "packages": {}}
    if snapshot.get("source", "").startswith("placeholder"):  # written without the service: it proves nothing
        snapshot = {"advisories": [], "packages": {}, "source": "placeholder, not used"}
    advisories = {(a["name"].lower(), a["version"]): a["ids"] for a in snapshot["advisories"]}
    covered = {name.lower(): version for name, version in snapshot["packages"].items()}
    hits += [(n, installed[n], advisories[key], "snapshot") for n in rest if (key := (n, installed[n])) in advisories]
    for name, version, ids, source in hits:
        print(f"pip-audit ({source}): {name} {version}: {', '.join(ids)}")
    from_snapshot = [n for n in rest if covered.get(n) == installed[n]]
    uncovered = [f"{n} {installed[n]}" for n in rest if covered.get(n) != installed[n]]
    print(
        f"pip-audit: {len(installed)} packages; {len(live)} at their latest release audited live on PyPI; "
        f"{len(from_snapshot)} older ones against the snapshot of {snapshot.get('date', '-')} "
        f"({snapshot.get('source', 'none')}); {len(hits)} with advisories; not audited: {', '.join(uncovered) or '-'}"
    )
    return 1 if hits else 0


def snapshot() -> int:
    report = _audit_online()
    installed = {d.metadata["Name"]: d.version for d in metadata.distributions()}
    if report is None:
        print("snapshot: the vulnerability service cannot be reached; the snapshot is not refreshed")
        print("snapshot: (PyPI's project pages audit the packages at their latest release live in every run)")
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
