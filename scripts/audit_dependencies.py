"""Audit the locked dependencies with pip-audit and report the findings.

    audit_dependencies.py PIP_AUDIT LOCK_FILE ACCEPTED_FILE REPORT_JSON

Exit 1 when an advisory applies that is neither fixed nor written up in
ACCEPTED_FILE (advisory id -> why it does not apply here). When the
vulnerability service cannot be reached, every package is reported as not
audited, loudly, and the exit is 0: that is a fact about the network, not about
the dependencies.
"""
import json
import subprocess
import sys
from pathlib import Path

import yaml


def main(pip_audit: str, lock: str, accepted_file: str, report: str) -> int:
    Path(report).parent.mkdir(parents=True, exist_ok=True)
    command = [pip_audit, "-r", lock, "--no-deps", "--disable-pip", "--progress-spinner", "off",
               "-f", "json", "-o", report]
    done = subprocess.run(command, capture_output=True, text=True)
    if not Path(report).exists():
        print(f"pip-audit failed (exit {done.returncode}):\n{done.stderr[-2000:]}", file=sys.stderr)
        return 1
    packages = json.loads(Path(report).read_text())["dependencies"]
    accepted = yaml.safe_load(Path(accepted_file).read_text()) or {}
    skipped = [p for p in packages if p.get("skip_reason")]
    open_findings = []
    for package in packages:
        for vuln in package.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            status = next((f"accepted: {accepted[i]}" for i in ids if i in accepted), None)
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            print(f"{package['name']} {package['version']}: {vuln['id']} (fixed in {fixes}) - {status or 'OPEN'}")
            if status is None:
                open_findings.append(vuln["id"])
    audited = len(packages) - len(skipped)
    print(f"Audited {audited} of {len(packages)} locked packages; {len(open_findings)} open advisories. "
          f"Report: {report}")
    if skipped and not audited:
        print("WARNING: no package could be audited: the vulnerability service (PyPI's JSON API) is not "
              f"reachable from this machine ({skipped[0]['skip_reason']}). Run `make audit` where it is.",
              file=sys.stderr)
    return 1 if open_findings else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
