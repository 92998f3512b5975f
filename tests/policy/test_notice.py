"""The published notice is built from the rules: it says what the policy does, and nothing else."""

from __future__ import annotations

from pathlib import Path

from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from custodian.policy.notice import Notice, Section, build_notice, render_markdown
from custodian.web.notice_html import render_notice_html
from tests.builders.policy import SMALL_POLICY, example_policy, notice_text, policy_with
from tests.cli.conftest import run_cli


def _notice(text: str = SMALL_POLICY) -> Notice:
    result = check_text(text)
    assert result.valid and result.document is not None, result.problems
    return build_notice(compile_policy(result.document, text))


def _section(notice: Notice, section_id: str) -> Section:
    return next(section for section in notice.sections if section.id == section_id)


def test_the_notice_has_every_section_a_reader_expects_with_effective_date_and_version() -> None:
    notice = _notice()
    assert [s.id for s in notice.sections] == ["introduction", "collection", "use", "choices", "sharing", "transfers",
                                               "retention", "security", "legal", "disclosures", "rights", "contact",
                                               "changes"]
    assert notice.effective_on == "2026-01-01" and len(notice.version_hash) == 64


def test_what_we_collect_lists_exactly_the_collected_classes() -> None:
    rows = _section(_notice(), "collection").tables[0].rows
    assert [row[0] for row in rows] == [
        "Name, addresses and contact details", "Payment card brand and last four digits",
        "Call records: numbers called and calling, dates, times, durations", "Call recordings"]


def test_retention_in_the_notice_follows_the_rules_when_they_change() -> None:
    table = _section(_notice(), "retention").tables[0]
    assert ("Call recordings", "90 days", "30 days") in table.rows
    shorter = _notice(policy_with("      keep: {days: 90}\n", "      keep: {days: 60}\n"))
    assert ("Call recordings", "60 days", "30 days") in _section(shorter, "retention").tables[0].rows


def test_sharing_shows_each_recipient_with_only_what_it_receives() -> None:
    row, = _section(_notice(), "sharing").tables[0].rows
    assert row[0] == "Example Payments LLC" and "Call records" not in row[2]


def test_legal_requests_show_the_process_each_requester_needs() -> None:
    rows = _section(_notice(), "legal").tables[0].rows
    assert ("Parties to civil cases", "Call records: numbers called and calling, dates, times, durations",
            "never disclosed") in rows
    assert ("Law enforcement", "Call recordings", "a search warrant") in rows


def test_wording_from_the_policy_file_is_used_and_html_escapes_it() -> None:
    text = SMALL_POLICY + 'notice:\n  introduction: "We <b>care</b> & mean it."\n'
    notice = _notice(text)
    assert _section(notice, "introduction").paragraphs == ("We <b>care</b> & mean it.",)
    html = render_notice_html(notice)
    assert "We &lt;b&gt;care&lt;/b&gt; &amp; mean it." in html and "<b>care</b>" not in html


def test_the_cli_renders_markdown_and_html(tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(SMALL_POLICY)
    markdown = run_cli("policy", "notice", str(policy), "--format", "md")
    assert markdown.exit_code == 0 and markdown.stdout == render_markdown(_notice())
    html = run_cli("policy", "notice", str(policy), "--format", "html")
    assert html.exit_code == 0 and html.stdout.startswith("<!doctype html>") and "How long we keep it" in html.stdout


def test_a_count_cap_shared_by_several_classes_says_they_are_counted_together() -> None:
    text = policy_with("    - classes: [content.call_recording]\n      profiles: [standard]\n      keep: {days: 90}\n",
                       "    - classes: [content.call_recording, cpni.call_log]\n      profiles: [standard]\n"
                       "      keep: {newest: 200}\n")
    rows = {row[0]: row[1] for row in _section(_notice(text), "retention").tables[0].rows}
    assert rows["Call recordings"] == ("newest 200, counted together with call records: numbers called and calling, "
                                       "dates, times, durations")


def test_the_notice_says_which_records_a_closed_account_keeps_de_identified() -> None:
    """SpectrumVoIP "normally deletes or de-identifies all data from a customer's account within 30-45 days of
    account closure"; billing history is kept to "resolve disputes"."""
    text = notice_text(example_policy("002-spectrumvoip.yaml"), "retention")
    assert "When an account closes, its information is deleted 30 days later, and no later than 45 days." in text
    assert "We keep billing and payment history for tax, accounting and dispute purposes, de-identified" in text
    assert "de-identified" not in _section(_notice(), "retention").paragraphs[0]
