"""README.txt of a customer's export: what each file holds and what each column means, what is not in the
copy and why. Pure: built from the file layout, the self-access decision and the counts."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from custodian.access.self_access_rules import SelfAccess, label
from custodian.disclosures.accounting import DISCLOSURE_MEANINGS
from custodian.dsr.export.layout import MEDIA_KINDS, SPECS

RULE = "-" * 72


def readme_text(provider: str, account_ref: str, access: SelfAccess, counts: Mapping[str, int], *,
                contact: str, now: datetime, disclosures: int = 0) -> str:
    """The README of one export made at `now`."""
    lines = [f"Your data from {provider}", RULE,
             f"A copy of the records we hold about account {account_ref}, made {now.strftime('%Y-%m-%d %H:%M')} UTC.",
             "",
             "Every kind of record is here twice, with the same rows: a .csv file (opens in a spreadsheet) and a",
             ".json file (for programs). In the .csv files a value that starts with = + - or @ (a telephone number",
             "such as +15125550100, for example) is written with a ' in front, so a spreadsheet never runs it as a",
             "formula; the .json files hold the values exactly. Voice messages, recordings and faxes are files in",
             "their original format in the folders named below.",
             "",
             "manifest.json lists every file with its size and SHA-256 checksum, so you can check nothing was",
             "changed or lost (for example: sha256sum call_log.csv).", ""]
    for record_class in access.included:
        spec = SPECS[record_class]
        files = f"{spec.stem}.csv, {spec.stem}.json" + (f", {spec.stem}/" if record_class in MEDIA_KINDS else "")
        count = counts.get(record_class, 0)
        lines += [RULE, f"{label(record_class)}: {files}", f"{count:,} record{'' if count == 1 else 's'}. {spec.about}",
                  "Columns:"]
        lines += [f"  {name}: {meaning}" for name, meaning in spec.columns]
        lines.append("")
    lines += [RULE, "Who received your data: disclosures.csv, disclosures.json",
              f"{disclosures:,} disclosure{'' if disclosures == 1 else 's'}. Every time we gave records of your "
              "account to a company or an authority outside ours, newest first: the same list as 'Who received my "
              "data' in your online account. A disclosure a court order still requires us to keep secret is listed "
              "once the order ends. Your own copies, like this one, are not disclosures.", "Columns:"]
    lines += [f"  {name}: {meaning}" for name, meaning in DISCLOSURE_MEANINGS]
    lines.append("")
    if access.withheld:
        lines += [RULE, "Not in this copy, and why", ""]
        lines += [f"* {label(name)}: {reason}" for name, reason in sorted(access.withheld.items())]
        lines.append("")
    if access.elsewhere:
        lines += [RULE, "Kept outside this records system", "",
                  "Our privacy policy says we also hold these; they are kept in other systems and not in this copy."
                  + (f" Ask us at {contact} for them." if contact else ""), ""]
        lines += [f"* {label(name)}" for name in access.elsewhere]
        lines.append("")
    return "\n".join(lines) + "\n"
