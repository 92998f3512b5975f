"""Customers are told of a policy version's material changes, once each, and may make their choices again.

Seed 000 P21: "we will advise you if we change our policy". Seed 001 P49: "stated in our policy at the time
we collected that information from you, we will give you a choice". Seed 002 P64: "SpectrumVoIP will seek
consent in advance as required by applicable law."
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, select, update

from custodian.consent.policy_change import BANNER_DAYS, banner, material_change, tell_customers
from custodian.crypto.keyring import Keyring
from custodian.db.engine import transaction
from custodian.kernel.clock import utcnow
from custodian.kernel.progress import SilentProgress
from custodian.policy import store as policy_store
from custodian.policy.tables import policy_change_notice
from custodian.records.tables import account
from tests.builders.policy import SMALL_POLICY, policy_with
from tests.builders.records import CANARY_EMAIL, an_account
from tests.builders.smtp import Outbox

NOW = utcnow()
WIDER_MARKETING = policy_with("    classes: [subscriber.basic]\n    description: Tell customers about new plans.",
                              "    classes: [subscriber.basic, billing.payment_instrument]\n"
                              "    description: Tell customers about new plans.")
REWORDED = policy_with("description: Tell customers about new plans.",
                       "description: Tell customers about our new plans.")
OPT_IN_MARKETING = policy_with("    choice: opt_out\n    classes: [subscriber.basic]",
                               "    choice: opt_in\n    classes: [subscriber.basic]")


def activate(engine: Engine, *texts: str) -> None:
    """Activate each text in turn, a day apart, the last in force now."""
    with transaction(engine) as conn:
        for days_ago, text in zip(range(len(texts), 0, -1), texts, strict=True):
            policy_store.activate(conn, text, actor="officer", effective_at=NOW - timedelta(days=days_ago - 1),
                                  now=NOW)


def tell(engine: Engine, keyring: Keyring, outbox: Outbox):  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        change = material_change(conn, NOW)
    assert change is not None
    return tell_customers(engine, keyring, outbox, change, link_base="https://privacy.example",
                          progress=SilentProgress(), now=NOW, batch=2)


def test_a_material_change_is_told_in_the_customers_words(engine: Engine, keyring: Keyring) -> None:
    activate(engine, SMALL_POLICY, WIDER_MARKETING)
    an_account(engine, keyring)
    outbox = Outbox()
    told = tell(engine, keyring, outbox)
    assert told.sent == 1
    [mail] = outbox.sent
    assert mail.to == CANARY_EMAIL
    assert "Tell customers about new plans: now also uses" in mail.body
    assert "billing.payment_instrument" not in mail.body and "marketing_offers" not in mail.body
    assert "You may opt out of these:\n  - Tell customers about new plans" in mail.body
    assert "https://privacy.example/portal/preferences" in mail.body


def test_an_opt_in_purpose_changed_materially_asks_for_consent_again(engine: Engine, keyring: Keyring) -> None:
    widened = OPT_IN_MARKETING.replace("classes: [subscriber.basic]\n    description: Tell",
                                       "classes: [subscriber.basic, billing.payment_instrument]\n    description: Tell")
    with engine.connect() as conn:
        assert material_change(conn, NOW) is None
    activate(engine, OPT_IN_MARKETING, widened)
    with engine.connect() as conn:
        change = material_change(conn, NOW)
    assert change is not None
    assert change.summary.renew == ("Tell customers about new plans",)


def test_a_wording_change_alone_is_not_announced(engine: Engine) -> None:
    activate(engine, SMALL_POLICY, REWORDED)
    with engine.connect() as conn:
        assert material_change(conn, NOW) is None


def test_each_customer_is_told_once_even_when_the_run_is_repeated(engine: Engine, keyring: Keyring) -> None:
    activate(engine, SMALL_POLICY, WIDER_MARKETING)
    for n in range(5):
        an_account(engine, keyring, ref=f"ACC-{n:04d}")
    first, second = Outbox(), Outbox()
    assert tell(engine, keyring, first).sent == 5
    again = tell(engine, keyring, second)
    assert (again.sent, again.already, second.sent) == (0, 5, [])


def test_a_refused_message_is_sent_on_the_next_run(engine: Engine, keyring: Keyring) -> None:
    activate(engine, SMALL_POLICY, WIDER_MARKETING)
    an_account(engine, keyring)
    refused = tell(engine, keyring, Outbox(refuse=1))
    assert (refused.sent, refused.failed) == (0, 1)
    outbox = Outbox()
    assert tell(engine, keyring, outbox).sent == 1
    with engine.connect() as conn:
        assert conn.execute(select(policy_change_notice.c.state, policy_change_notice.c.attempts)).one() == ("sent", 2)


def test_closed_accounts_are_not_told_and_accounts_without_an_address_are_recorded(engine: Engine,
                                                                                   keyring: Keyring) -> None:
    activate(engine, SMALL_POLICY, WIDER_MARKETING)
    an_account(engine, keyring, ref="ACC-OPEN")
    closed = an_account(engine, keyring, ref="ACC-SHUT")
    an_account(engine, keyring, ref="ACC-NOMAIL", email="")
    with transaction(engine) as conn:
        conn.execute(update(account).where(account.c.id == closed).values(status="closed", closed_on=NOW.date()))
    outbox = Outbox()
    told = tell(engine, keyring, outbox)
    assert (told.sent, told.no_address) == (1, 1)
    assert ["ACC-OPEN" in mail.body for mail in outbox.sent] == [True]


def test_the_portal_banner_shows_the_change_for_sixty_days(engine: Engine) -> None:
    activate(engine, SMALL_POLICY, WIDER_MARKETING)
    with engine.connect() as conn:
        assert banner(conn, NOW) is not None
        assert banner(conn, NOW + timedelta(days=BANNER_DAYS + 1)) is None
