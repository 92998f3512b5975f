"""The compiled consent snapshot: latest choice per (account, purpose, medium), the CPNI notices sent, and
the purpose rules, so `allowed` is a few dictionary reads (issue 16 §1: "a pure, microsecond decision").

Medium: for a specific medium M, the latest (by `made_at`) of the choices made for M and for `any` wins,
so "no e-mail" after "yes to everything" stops e-mail only, and a later "no to everything" stops all.
`medium="any"` (a use that contacts no one: analytics, a disclosure) reads only choices made for `any`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from custodian.consent.purposes import PurposeRule
from custodian.consent.rules import ESSENTIAL, Choice, Decision, decide
from custodian.consent.types import MEDIA

_MEDIUM_INDEX = {medium: index for index, medium in enumerate(MEDIA)}
_PURPOSE_SLOTS = 8 * 1024  # purposes per account key (8 media each)

# (account_id, subject, purpose, medium, choice, made_at, text_sha256, valid_until), in recording order.
ChoiceRow = tuple[int | None, str | None, str, str, str, Any, str, Any]


def _as_is(value: Any) -> datetime:
    return value  # type: ignore[no-any-return]


class ConsentSnapshot:
    """Everything `allowed` needs, held in plain dicts keyed by small ints."""

    def __init__(self, rules: Mapping[str, PurposeRule], built_at: datetime, media: Iterable[str] = MEDIA) -> None:
        """`rules` and `media` are what the snapshot answers for (a narrowed load reads no other choices):
        `allowed` raises KeyError for any other purpose or medium."""
        if len(rules) > _PURPOSE_SLOTS:
            raise ValueError(f"a policy with more than {_PURPOSE_SLOTS} purposes does not fit the snapshot's keys")
        self.rules = dict(rules)
        self.built_at = built_at
        self._purpose_index = {name: index for index, name in enumerate(sorted(self.rules))}
        self._choices: dict[int, Choice] = {}
        self._oral: dict[int, Choice] = {}
        self._subjects: dict[Any, Choice] = {}
        self._notices: dict[int, tuple[datetime, ...]] = {}
        self._hashes: dict[str, str] = {}  # one string object per distinct choice and text hash
        self._media = {medium: _MEDIUM_INDEX[medium] for medium in media}

    def key(self, account_id: int, purpose: str, medium: str) -> int:
        """The int key of one (account, purpose, medium)."""
        return (account_id * _PURPOSE_SLOTS + self._purpose_index[purpose]) * 8 + _MEDIUM_INDEX[medium]

    def add_choices(self, rows: Iterable[ChoiceRow], read_time: Callable[[Any], datetime] = _as_is) -> None:
        """Take choices in the order they were recorded; per key the latest `made_at` stays (a tie: the later
        one). `read_time` turns the stored time into an aware datetime (the bulk path reads raw values)."""
        purposes, hashes, choices = self._purpose_index, self._hashes, self._choices
        for account_id, subject, purpose, medium, choice, made_raw, text_sha, until_raw in rows:
            index = purposes.get(purpose)
            if index is None:
                continue  # a purpose the policy no longer has
            made_at = read_time(made_raw)
            entry = Choice(hashes.setdefault(choice, choice), made_at, hashes.setdefault(text_sha, text_sha),
                           None if until_raw is None else read_time(until_raw))
            if account_id is None:
                target: dict[Any, Choice] = self._subjects
                key: Any = (subject, purpose)
            else:
                target = choices if until_raw is None else self._oral
                key = (account_id * _PURPOSE_SLOTS + index) * 8 + _MEDIUM_INDEX[medium]
            held = target.get(key)
            if held is None or made_at >= held.made_at:
                target[key] = entry

    def add_notice(self, account_id: int, sent_at: datetime) -> None:
        """Take one CPNI opt-out notice (in `sent_at` order); the last two are kept."""
        self._notices[account_id] = (sent_at, *self._notices.get(account_id, ())[:1])

    def allowed(self, account_id: int, purpose: str, at: datetime, medium: str = "any") -> Decision:
        """May `purpose` use the account's data at `at` (contacting it by `medium`)? Raise KeyError for a
        purpose the policy does not have or an unknown medium."""
        rule = self.rules[purpose]
        if rule.choice == "none":
            return ESSENTIAL
        base = (account_id * _PURPOSE_SLOTS + self._purpose_index[purpose]) * 8
        latest = self._choices.get(base)
        oral = self._oral.get(base)
        if medium != "any":
            offset = self._media[medium]
            latest = _later(latest, self._choices.get(base + offset))
            oral = _later(oral, self._oral.get(base + offset))
        return decide(rule, latest, self._notices.get(account_id, ()), at, oral)

    def accounts(self) -> set[int]:
        """The accounts the snapshot holds a choice, an oral approval or a CPNI notice of; `allowed` answers
        every other account of a purpose as it answers an account without any (`allowed_unknown`)."""
        found = {key // (8 * _PURPOSE_SLOTS) for key in self._choices}
        found.update(key // (8 * _PURPOSE_SLOTS) for key in self._oral)
        found.update(self._notices)
        return found

    def allowed_unknown(self, purpose: str, at: datetime, medium: str = "any") -> Decision:
        """The answer of `allowed` for an account the snapshot holds nothing of (the default of the purpose)."""
        rule = self.rules[purpose]
        if rule.choice == "none":
            return ESSENTIAL
        if medium not in self._media:
            raise KeyError(medium)  # as `allowed` does for a medium the snapshot does not answer
        return decide(rule, None, (), at, None)

    def allowed_subject(self, subject: str, purpose: str, at: datetime) -> Decision:
        """The same decision for an anonymous web visitor's consent id (no CPNI, no medium)."""
        rule = self.rules[purpose]
        if rule.choice == "none":
            return ESSENTIAL
        return decide(rule, self._subjects.get((subject, purpose)), (), at)

    def __len__(self) -> int:
        return len(self._choices) + len(self._oral) + len(self._subjects)


def _later(first: Choice | None, second: Choice | None) -> Choice | None:
    if first is None:
        return second
    if second is None:
        return first
    return second if second.made_at >= first.made_at else first
