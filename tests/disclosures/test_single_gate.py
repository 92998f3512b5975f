"""Issue 17, done when: "No code path other than the gate and the legal desk writes subscriber data outside Custodian
(an import-linter contract and a test that greps the exports prove it)".

The import-linter contract (pyproject.toml, "Only the disclosure gate, the legal desk and the customer's own export
write subscriber records out") keeps the readers and writers of feeds inside those packages. This test greps every
source file for the ways Python writes a file (write_bytes, write_text, open for writing, csv and zip writers) and
fails on any site it does not know: a new one must be routed through the gate or listed below with the reason it
writes no subscriber data out. Limits (docs/disclosures.md): it sees file writes only, not e-mail, HTTP responses or
a write spelt another way; the review of this list is what keeps it honest."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "custodian"
WRITES = re.compile(r"write_bytes\(|write_text\(|\.open\([^)]*[\"'](w|a|x)b?[\"']|open\([^)]*[\"'](w|a|x)b?[\"']"
                    r"|fdopen\([^)]*[\"']w|csv\.writer|write_csv\(|ZipFile\([^)]*[\"']w[\"']|os\.replace\(")
# Where subscriber data may leave: the gate, the legal desk (and its CLI output), the customer's own copy.
EXPORTERS = ("disclosures/", "legal/", "dsr/export/", "cli/legal_output_cmd.py")
# Writes that carry no subscriber data out of Custodian, each with the reason.
NOT_SUBSCRIBER_DATA = {
    "kernel/csv_text.py": "the CSV writer itself; its callers are the exporters above",
    "crypto/master.py": "the master key file, inside the data directory (mode 0600)",
    "crypto/blobs.py": "the blob store: sealed content inside Custodian",
    "mail/catcher.py": "the demo's local mail catcher, writing what was sent to a folder of the data directory",
    "consent/cpni.py": "CPNI opt-out notice letters (47 CFR 64.2008(d)) addressed to the customer, for the provider "
                       "to post: a notice to the person the data is about, no third party",
    "cli/policy_cmd.py": "the policy notice and fides export: the provider's policy, no records",
    "cli/demo_guide.py": "the demo's facts file: synthetic data",
    "demo/build.py": "the demo provider's synthetic import files",
    "demo/media.py": "synthetic voice messages of the demo",
    "dsr/export_jobs.py": "the customer's own export ZIP moved into place in the data directory (as dsr/export/)",
    "backup/archive.py": "the provider's own backup, kept in its custody: fields stay sealed under per-account keys "
                         "and the master key is never included (docs/operations.md); the manifest: hashes and counts",
    "backup/restore.py": "a restored database file moved into place inside the data directory",
    "consent/suppression.py": "the suppression list issue 16 §3 requires: the contact points that must not be "
                              "contacted, for the provider's own marketing tools (each pull audited), never a third "
                              "party's",
    "cli/consent_suppression_cmd.py": "writes that suppression list to the file the operator names",
    "compliance/breach_notify.py": "breach notification letters the law requires (47 CFR 64.2011, 45 CFR 164.410, "
                                   "Tex. Bus. & Com. Code 521.053): the incident's facts and counts, no subscriber "
                                   "record (customers are addressed \"Dear customer\")",
    "compliance/cpni_certification.py": "the CPNI certificate and statement (47 CFR 64.2009(e)): counts, no records",
    "compliance/ropa.py": "records of processing (GDPR Art. 30) from the policy: no subscriber records",
    "cli/compliance_cmd.py": "writes the records of processing or the certificate to the file the operator names",
}


def write_sites() -> dict[str, list[str]]:
    """Every source file that writes a file, with the lines that do."""
    found: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if WRITES.search(line)]
        if lines:
            found[name] = lines
    return found


def test_only_the_gate_the_legal_desk_and_the_customers_export_write_files_out() -> None:
    unknown = {name: lines for name, lines in write_sites().items()
               if not name.startswith(EXPORTERS) and name not in NOT_SUBSCRIBER_DATA}
    assert unknown == {}, "route these writes through the disclosure gate, or list why they carry no subscriber data"


def test_the_list_of_harmless_writers_names_only_files_that_still_write() -> None:
    """A stale entry would let a new write hide behind an old reason."""
    sites = write_sites()
    assert sorted(name for name in NOT_SUBSCRIBER_DATA if name not in sites) == []


def test_the_gate_is_among_the_writers_the_grep_finds() -> None:
    """The pattern is alive: it finds the gate's own feed writer."""
    assert "disclosures/feed.py" in write_sites()
