"""The client's address behind reverse proxies: forwarded headers count only from the proxies
named in FORWARDED_ALLOW_IPS (the live side is in test_login_race)."""

import pytest

from events_app.core.requests import TrustedProxies, forwarded_client
from events_app.core.settings import Settings

def test_forwarded_headers_from_an_untrusted_peer_are_ignored():
    nobody = TrustedProxies(())
    assert forwarded_client("127.0.0.1", ["198.51.100.1"], nobody) == "127.0.0.1"
    assert forwarded_client("203.0.113.7", ["198.51.100.1"], TrustedProxies(["127.0.0.1"])) == "203.0.113.7"


def test_a_trusted_proxy_names_the_client():
    proxy = TrustedProxies(["10.0.0.0/8"])
    assert forwarded_client("10.0.0.2", ["203.0.113.7"], proxy) == "203.0.113.7"
    # A client's own X-Forwarded-For comes first; the proxy appends what it saw: that one counts.
    assert forwarded_client("10.0.0.2", ["198.51.100.1, 203.0.113.7"], proxy) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", ["198.51.100.1", "203.0.113.7"], proxy) == "203.0.113.7"
    # Behind two proxies, both trusted.
    assert forwarded_client("10.0.0.2", ["203.0.113.7, 10.0.0.3"], proxy) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", ["203.0.113.7:5050"], proxy) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", ["[2001:db8::1]:443"], proxy) == "2001:db8::1"
    # No header, or one that names no address: the proxy itself.
    assert forwarded_client("10.0.0.2", [], proxy) == "10.0.0.2"
    assert forwarded_client("10.0.0.2", ["unknown"], proxy) == "10.0.0.2"
    assert forwarded_client("::ffff:10.0.0.2", ["203.0.113.7"], proxy) == "203.0.113.7"
    assert forwarded_client("10.0.0.2", ["203.0.113.7"], TrustedProxies(["*"])) == "203.0.113.7"


def test_forwarded_allow_ips_setting():
    env = {"SECRET_KEY": "k", "DATA_DIR": "/tmp"}
    assert Settings.from_env(env).forwarded_allow_ips == ()
    assert Settings.from_env({**env, "FORWARDED_ALLOW_IPS": " 10.0.0.1, 172.16.0.0/12 ,::1"}).forwarded_allow_ips == (
        "10.0.0.1", "172.16.0.0/12", "::1")
    assert Settings.from_env({**env, "FORWARDED_ALLOW_IPS": "*"}).forwarded_allow_ips == ("*",)
    with pytest.raises(ValueError, match="FORWARDED_ALLOW_IPS"):
        Settings.from_env({**env, "FORWARDED_ALLOW_IPS": "proxy.local"})
