"""OAuth 1.0a signing against X's own documented example, and the base string's rules."""

from __future__ import annotations

from pydantic import SecretStr

from ingest.connectors.oauth1_signing import (
    OAuth1Credentials,
    authorization_header,
    base_url,
    percent_encode,
    signature_base_string,
)
from tests.fake_platforms.x_api import oauth1_header_fields

# The worked example of X's "Creating a signature" guide (public sample keys).
DOC_KEYS = OAuth1Credentials(
    consumer_key="xvz1evFS4wEEPTGEFPHBog",
    consumer_secret=SecretStr("kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"),
    access_token="370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb",
    access_token_secret=SecretStr("LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"),
)
DOC_URL = "https://api.twitter.com/1.1/statuses/update.json"
DOC_PARAMS = [
    ("include_entities", "true"),
    ("status", "Hello Ladies + Gentlemen, a signed OAuth request!"),
]
DOC_NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
DOC_TIMESTAMP = 1318622958


def test_the_documented_example_gets_the_documented_signature() -> None:
    header = authorization_header("POST", DOC_URL, DOC_PARAMS, DOC_KEYS, DOC_NONCE, DOC_TIMESTAMP)
    fields = oauth1_header_fields(header)
    assert fields["oauth_signature"] == "hCtSmYh+iHYCEqBWrE7C7hYmtUk="
    assert fields["oauth_nonce"] == DOC_NONCE and fields["oauth_timestamp"] == "1318622958"
    assert fields["oauth_signature_method"] == "HMAC-SHA1" and fields["oauth_version"] == "1.0"
    assert header.startswith('OAuth oauth_consumer_key="xvz1evFS4wEEPTGEFPHBog", ')
    assert 'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in header


def test_the_header_never_carries_either_secret() -> None:
    header = authorization_header("GET", DOC_URL, [], DOC_KEYS, DOC_NONCE, DOC_TIMESTAMP)
    assert DOC_KEYS.consumer_secret.get_secret_value() not in header
    assert DOC_KEYS.access_token_secret.get_secret_value() not in header


def test_the_documented_base_string() -> None:
    oauth = [
        ("oauth_consumer_key", DOC_KEYS.consumer_key),
        ("oauth_nonce", DOC_NONCE),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", str(DOC_TIMESTAMP)),
        ("oauth_token", DOC_KEYS.access_token),
        ("oauth_version", "1.0"),
    ]
    base = signature_base_string("post", DOC_URL, [*DOC_PARAMS, *oauth])
    assert base.startswith(
        "POST&https%3A%2F%2Fapi.twitter.com%2F1.1%2Fstatuses%2Fupdate.json&"
        "include_entities%3Dtrue%26oauth_consumer_key%3Dxvz1evFS4wEEPTGEFPHBog%26"
    )
    assert base.endswith(
        "oauth_version%3D1.0%26status%3DHello%2520Ladies%2520%252B%2520Gentlemen"
        "%252C%2520a%2520signed%2520OAuth%2520request%2521"
    )


def test_base_url_drops_the_query_and_default_port_and_lowers_the_host() -> None:
    assert base_url("HTTPS://API.X.com:443/2/dm_events?x=1#f") == "https://api.x.com/2/dm_events"
    assert base_url("http://127.0.0.1:8080/2/dm_events") == "http://127.0.0.1:8080/2/dm_events"
    assert base_url("http://example.org") == "http://example.org/"


def test_percent_encoding_keeps_only_unreserved_characters() -> None:
    assert percent_encode("a-b._~ +/*é") == "a-b._~%20%2B%2F%2A%C3%A9"


def test_equal_keys_sort_by_value() -> None:
    base = signature_base_string("GET", "https://x.test/p", [("a", "2"), ("a", "1"), ("B", "0")])
    assert base == "GET&https%3A%2F%2Fx.test%2Fp&B%3D0%26a%3D1%26a%3D2"


def test_a_header_that_is_not_oauth_has_no_fields() -> None:
    assert oauth1_header_fields("Bearer abc") == {}
