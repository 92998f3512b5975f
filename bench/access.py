"""Decision-point benchmark: generated decisions over the SpectrumVoIP policy, ours vs cedarpy.

The same access rules are written as a Cedar policy set (one permit per role/topic/class grant,
one per break-glass class, one forbid for call detail without the CPNI password); both engines
decide the same corpus and every outcome must agree. Cedar gets pre-parsed PolicySet and Entities
handles, so its per-call cost is evaluation, not parsing.

    .venv/bin/pip install -c constraints.txt -e '.[bench]'
    python bench/access.py                 # 20,000 decisions
    CUSTODIAN_BENCH_DECISIONS=100000 python bench/access.py
Targets (issue #5): p50 <= 10 us per decision, cedarpy / ours >= 20.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cedarpy

from custodian.access.decide import decide
from custodian.access.rules import AccessRules, compile_access
from custodian.access.types import CHANNELS, Actor, Context, TicketGrant
from custodian.policy.check import check_text
from custodian.policy.compiled import compile_policy
from custodian.policy.vocabulary import RECORD_CLASSES

POLICY = Path(__file__).resolve().parents[1] / "examples" / "policies" / "002-spectrumvoip.yaml"
DECISIONS = int(os.environ.get("CUSTODIAN_BENCH_DECISIONS", "20000"))
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def load_rules() -> AccessRules:
    text = POLICY.read_text(encoding="utf-8")
    document = check_text(text).document
    assert document is not None
    return compile_access(compile_policy(document, text))


def cedar_policies(rules: AccessRules) -> str:
    """The access rules as Cedar: permits per grant, a forbid for unverified call detail."""
    common = "principal.ack == context.policy && resource.collected"
    ticket = ("context.has_ticket && !context.break_glass && context.ticket_staff == principal.staff_id && "
              "context.ticket_account == context.account && context.ticket_expires > context.now && "
              "(context.ticket_closed == 0 || context.ticket_closed > context.now)")
    out = []
    for (role, topic, name) in sorted(rules.on_ticket):
        out.append(f'permit(principal, action == Action::"read", resource == Record::"{name}") when {{ '
                   f'principal.role == "{role}" && context.ticket_topic == "{topic}" && {common} && {ticket} }};')
    for (role, name) in sorted(rules.break_glass):
        out.append(f'permit(principal, action == Action::"read", resource == Record::"{name}") when {{ '
                   f'principal.role == "{role}" && context.break_glass && {common} }};')
    channels = ", ".join(f'"{c}"' for c in sorted(rules.cpni_channels))
    out.append('forbid(principal, action == Action::"read", resource) when { resource.cpni && '
               f'!context.break_glass && context.has_ticket && [{channels}].contains(context.ticket_channel) && '
               '!context.cpni_verified };')
    return "\n".join(out)


def corpus(rules: AccessRules, n: int, seed: int = 5) -> list[tuple[Actor, int, str, Context]]:
    """Decisions a console would ask: mostly on live tickets, some expired, foreign, unacknowledged, break-glass."""
    rng = random.Random(seed)
    roles = [*sorted(rules.roles), "privacy_officer"]
    classes = sorted(RECORD_CLASSES)
    cases = []
    for _ in range(n):
        staff_id = rng.randint(1, 6)
        actor = Actor(staff_id, f"s{staff_id}", rng.choice(roles), rules.version if rng.random() < 0.95 else None)
        account = rng.randint(1, 3)
        topics = rules.topics_of_role.get(actor.role) or rules.topics
        grant = TicketGrant(ticket_id=1, staff_id=staff_id if rng.random() < 0.9 else staff_id + 1,
                            account_id=account if rng.random() < 0.9 else account + 1, topic=rng.choice(topics),
                            channel=rng.choice(CHANNELS), expires_at=NOW + timedelta(hours=rng.choice((-1, 2, 4))),
                            closed_at=NOW - timedelta(minutes=5) if rng.random() < 0.1 else None,
                            cpni_verified=rng.random() < 0.5)
        reason = "outage, ticket system down" if rng.random() < 0.05 else ""
        context = Context(NOW, rules, grant if rng.random() < 0.9 else None, reason)
        on_topic = rules.classes_on_topic.get((actor.role, grant.topic), ())
        name = rng.choice(on_topic) if on_topic and rng.random() < 0.6 else rng.choice(classes)
        cases.append((actor, account, name, context))
    return cases


def cedar_request(actor: Actor, account: int, name: str, context: Context) -> dict:
    t = context.ticket
    epoch = lambda moment: int(moment.timestamp())  # noqa: E731
    return {
        "principal": f'Staff::"{actor.staff_id}:{actor.role}:{actor.acknowledged_version or "-"}"',
        "action": 'Action::"read"', "resource": f'Record::"{name}"',
        "context": {"policy": context.rules.version, "now": epoch(context.now), "account": account,
                    "break_glass": bool(context.break_glass_reason.strip()), "has_ticket": t is not None,
                    "ticket_staff": t.staff_id if t else 0, "ticket_account": t.account_id if t else 0,
                    "ticket_topic": t.topic if t else "", "ticket_channel": t.channel if t else "",
                    "ticket_expires": epoch(t.expires_at) if t else 0,
                    "ticket_closed": epoch(t.closed_at) if t and t.closed_at else 0,
                    "cpni_verified": bool(t and t.cpni_verified)},
    }


def cedar_entities(rules: AccessRules, cases: list[tuple[Actor, int, str, Context]]) -> list[dict]:
    actors = {(a.staff_id, a.role, a.acknowledged_version) for a, _, _, _ in cases}
    staff = [{"uid": {"__entity": {"type": "Staff", "id": f"{i}:{role}:{ack or '-'}"}}, "parents": [],
              "attrs": {"staff_id": i, "role": role, "ack": ack or "-"}} for i, role, ack in actors]
    records = [{"uid": {"__entity": {"type": "Record", "id": name}}, "parents": [],
                "attrs": {"collected": name in rules.collected, "cpni": name in rules.cpni_classes}}
               for name in sorted(RECORD_CLASSES)]
    return staff + records


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_each(call, cases) -> tuple[list, list[float]]:  # type: ignore[no-untyped-def]
    clock, results, samples = time.perf_counter_ns, [], []
    for case in cases:
        started = clock()
        result = call(case)
        samples.append((clock() - started) / 1000)
        results.append(result)
    return results, samples


def main() -> None:
    rules = load_rules()
    cases = corpus(rules, DECISIONS)
    policies = cedarpy.PolicySet.from_str(cedar_policies(rules))
    entities = cedarpy.Entities.from_json_str(json.dumps(cedar_entities(rules, cases)))
    requests = [cedar_request(*case) for case in cases]
    ours, our_us = time_each(lambda c: decide(c[0], "read", c[1], c[2], c[3]).permit, cases)
    theirs, cedar_us = time_each(lambda r: cedarpy.is_authorized(r, policies, entities).allowed, requests)
    started = time.perf_counter()
    batch = cedarpy.is_authorized_batch(requests, policies, entities)
    batch_us = (time.perf_counter() - started) * 1e6 / len(requests)
    mismatches = [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b]
    assert not mismatches, f"{len(mismatches)} outcomes differ, first at case {mismatches[0]}: {cases[mismatches[0]]}"
    assert [r.allowed for r in batch] == theirs
    permits = sum(ours)
    print(f"corpus: {len(cases):,} decisions over {POLICY.name} ({permits:,} permits, {len(cases) - permits:,} "
          "denies); outcomes identical to cedarpy")
    print(f"ours    p50 {percentile(our_us, .5):6.2f} us  p99 {percentile(our_us, .99):6.2f} us  "
          f"mean {statistics.fmean(our_us):6.2f} us")
    print(f"cedarpy p50 {percentile(cedar_us, .5):6.2f} us  p99 {percentile(cedar_us, .99):6.2f} us  "
          f"mean {statistics.fmean(cedar_us):6.2f} us  (batched: {batch_us:.2f} us per decision)")
    ratio = percentile(cedar_us, .5) / percentile(our_us, .5)
    batch_ratio = batch_us / statistics.fmean(our_us)
    print(f"ratio cedarpy / ours: p50 {ratio:.1f}x, batched cedarpy mean / our mean {batch_ratio:.1f}x "
          f"(targets: our p50 <= 10 us, ratio >= 20)")


if __name__ == "__main__":
    main()
