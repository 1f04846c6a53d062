"""The throttling rules, as pure functions: no database, no server."""

import datetime as dt

from events_app.accounts import throttling
from events_app.accounts.throttling import Attempt, retry_at

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.timezone.utc)
MINUTE = dt.timedelta(minutes=1)
HOME = "203.0.113.7"


def failures(n: int, *, network: str = HOME, device: str = "", last: dt.datetime = NOW) -> list[Attempt]:
    """`n` failed attempts, one a second, the last at `last`."""
    return [Attempt(at=last - dt.timedelta(seconds=n - 1 - i), network=network, device=device) for i in range(n)]


def test_waits_double_with_each_failure_up_to_a_ceiling():
    rule = throttling.ACCOUNT_FROM_NETWORK
    assert [rule.wait(n) // MINUTE for n in range(4, 11)] == [0, 1, 2, 4, 8, 15, 15]
    assert rule.wait(10_000) == 15 * MINUTE


def test_a_few_failures_are_free_then_the_wait_runs_from_the_last_one():
    assert retry_at(NOW, failures(4), [], network=HOME) is None
    assert retry_at(NOW, failures(5), [], network=HOME) == NOW + MINUTE
    assert retry_at(NOW, failures(7), [], network=HOME) == NOW + 4 * MINUTE
    # The wait expires by itself.
    assert retry_at(NOW + MINUTE + dt.timedelta(seconds=1), failures(5), [], network=HOME) is None
    # Failures older than a day are forgotten.
    assert retry_at(NOW, failures(30, last=NOW - dt.timedelta(hours=25)), [], network=HOME) is None


def test_a_success_ends_the_count_for_the_account_but_not_for_the_network():
    guessed = failures(5, last=NOW - 20 * dt.timedelta(seconds=1))
    assert retry_at(NOW, guessed, [], network=HOME) == NOW + 40 * dt.timedelta(seconds=1)
    history = guessed + [Attempt(at=NOW - 10 * dt.timedelta(seconds=1), network=HOME, succeeded=True)]
    assert retry_at(NOW, history, [], network=HOME) is None
    assert retry_at(NOW, history + failures(5), [], network=HOME) == NOW + MINUTE
    # Twenty failures from one network on any accounts slow it down, however many log-ins succeeded.
    network = [NOW - dt.timedelta(seconds=s) for s in range(20)]
    assert retry_at(NOW, history, network, network=HOME) == NOW + MINUTE
    # ...for fifteen minutes only: a shared network (a fair's Wi-Fi) is not held back for long.
    assert retry_at(NOW + 16 * MINUTE, [], network, network=HOME) is None


def test_guessing_from_many_networks_slows_the_account_down_everywhere():
    spread = [a for n in range(5) for a in failures(2, network=f"198.51.100.{n}")]
    assert retry_at(NOW, spread, [], network=HOME) == NOW + MINUTE
    # Four failures from one network: not yet slowed, as long as the account as a whole is not.
    assert retry_at(NOW, failures(4, network="198.51.100.9"), [], network="198.51.100.9") is None


def test_a_trusted_device_is_spared_what_strangers_did_but_not_its_own_failures():
    strangers = [a for n in range(20) for a in failures(3, network=f"198.51.100.{n}")]
    network = [a.at for a in strangers]
    assert retry_at(NOW, strangers, network, network=HOME) is not None
    assert retry_at(NOW, strangers, network, network=HOME, device="laptop") is None
    own = failures(5, device="laptop")
    assert retry_at(NOW, strangers + own, network, network=HOME, device="laptop") == NOW + MINUTE
    # Another trusted device of the account keeps its own count.
    assert retry_at(NOW, strangers + own, network, network=HOME, device="phone") is None


def test_networks_group_ipv6_by_their_64_bit_prefix():
    assert throttling.network_of("203.0.113.7") == "203.0.113.7"
    assert throttling.network_of("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64"
    assert throttling.network_of("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert throttling.network_of("::ffff:203.0.113.7") == "203.0.113.7"
    assert throttling.network_of("testclient") == "testclient"


def test_device_tokens_are_signed_for_one_account():
    token = throttling.device_token("key", "an@example.vn")
    device = throttling.trusted_device("key", "an@example.vn", token)
    assert device and token.startswith(device + ".")
    assert throttling.trusted_device("key", "binh@example.vn", token) == ""
    assert throttling.trusted_device("other key", "an@example.vn", token) == ""
    assert throttling.trusted_device("key", "an@example.vn", "x" + token) == ""
    assert throttling.trusted_device("key", "an@example.vn", token[:-2] + "AA") == ""
    for garbage in ("", ".", "abc", "é.é", "a" * 40 + "." + token.split(".")[1]):
        assert throttling.trusted_device("key", "an@example.vn", garbage) == ""
    assert throttling.device_token("key", "an@example.vn") != token  # each browser its own id
