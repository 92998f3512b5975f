"""Operator settings: the staff sign-in limits and the throttle rates come from the environment and are checked."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from pydantic import ValidationError

from custodian.settings import Settings
from custodian.staff.service import DEFAULT_LIMITS, SignInLimits
from custodian.staff.throttle import Rate, ThrottleRates


def test_the_default_sign_in_limits_are_the_documented_ones() -> None:
    assert SignInLimits(*Settings(_env_file=None).staff_limits()) == DEFAULT_LIMITS  # type: ignore[call-arg]
    assert SignInLimits(5, timedelta(minutes=15), timedelta(minutes=15), timedelta(hours=12)) == DEFAULT_LIMITS


def test_sign_in_limits_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODIAN_STAFF_MAX_FAILED_LOGINS", "3")
    monkeypatch.setenv("CUSTODIAN_STAFF_LOCKOUT_MINUTES", "60")
    monkeypatch.setenv("CUSTODIAN_STAFF_IDLE_MINUTES", "5")
    monkeypatch.setenv("CUSTODIAN_STAFF_SESSION_HOURS", "8")
    limits = SignInLimits(*Settings(_env_file=None).staff_limits())  # type: ignore[call-arg]
    assert limits == SignInLimits(3, timedelta(hours=1), timedelta(minutes=5), timedelta(hours=8))


@pytest.mark.parametrize(("name", "value"), [("STAFF_MAX_FAILED_LOGINS", "0"), ("STAFF_IDLE_MINUTES", "0"),
                                             ("STAFF_SESSION_HOURS", "25"), ("STAFF_LOCKOUT_MINUTES", "-1")])
def test_an_out_of_range_limit_is_refused_naming_the_setting(monkeypatch: pytest.MonkeyPatch, name: str,
                                                             value: str) -> None:
    monkeypatch.setenv(f"CUSTODIAN_{name}", value)
    with pytest.raises(ValidationError, match=name.lower()):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_an_idle_timeout_longer_than_the_session_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUSTODIAN_STAFF_IDLE_MINUTES", "180")
    monkeypatch.setenv("CUSTODIAN_STAFF_SESSION_HOURS", "2")
    with pytest.raises(ValidationError, match="staff_idle_minutes"):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_default_throttle_rates_are_the_documented_ones() -> None:
    rates = ThrottleRates(*(Rate(*r) for r in Settings(_env_file=None).throttle_rates()))  # type: ignore[call-arg]
    assert rates == ThrottleRates()
    assert rates.sign_in_per_address == Rate(10, timedelta(minutes=1))
    assert rates.sign_in_per_username == Rate(5, timedelta(minutes=1))
    assert rates.intake_per_address == Rate(20, timedelta(hours=1))


@pytest.mark.parametrize(("name", "value"), [("SIGN_IN_PER_ADDRESS_PER_MINUTE", "0"),
                                             ("SIGN_IN_PER_USERNAME_PER_MINUTE", "1001"),
                                             ("INTAKE_PER_ADDRESS_PER_HOUR", "-5"), ("PASSWORD_HASH_SLOTS", "0"),
                                             ("PASSWORD_HASH_SLOTS", "65")])
def test_an_out_of_range_throttle_setting_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch, name: str,
                                                               value: str) -> None:
    monkeypatch.setenv(f"CUSTODIAN_{name}", value)
    with pytest.raises(ValidationError, match=name.lower()):
        Settings(_env_file=None)  # type: ignore[call-arg]


def test_password_hashing_is_bounded_to_the_cpu_count_by_default() -> None:
    assert Settings(_env_file=None).password_hash_slots == (os.cpu_count() or 1)  # type: ignore[call-arg]
