"""The pure checks of Facebook webhook deliveries: signature and verify token."""

from __future__ import annotations

from ingest.connectors.webhook_signature import (
    SignatureCheck,
    check_signature,
    check_verify_token,
    sign,
)

SECRET = b"invented-app-secret"
BODY = b'{"object":"page","entry":[]}'


class TestCheckSignature:
    def test_the_signature_of_the_body_is_valid(self) -> None:
        """sha256= and the hex HMAC of the exact body under the app secret passes."""
        assert check_signature(BODY, sign(BODY, SECRET), SECRET) is SignatureCheck.VALID

    def test_upper_case_hex_is_valid(self) -> None:
        """Hex digits are compared without regard to case."""
        header = "sha256=" + sign(BODY, SECRET).removeprefix("sha256=").upper()
        assert check_signature(BODY, header, SECRET) is SignatureCheck.VALID

    def test_no_header_is_missing(self) -> None:
        """An unsigned delivery is told apart from a wrongly signed one."""
        assert check_signature(BODY, None, SECRET) is SignatureCheck.MISSING
        assert check_signature(BODY, "  ", SECRET) is SignatureCheck.MISSING

    def test_a_sha1_header_is_malformed(self) -> None:
        """The legacy X-Hub-Signature form (sha1=) is not accepted here."""
        assert check_signature(BODY, "sha1=" + "0" * 40, SECRET) is SignatureCheck.MALFORMED
        assert check_signature(BODY, "sha256=xyz", SECRET) is SignatureCheck.MALFORMED

    def test_another_secret_is_a_mismatch(self) -> None:
        """A body signed with another secret fails."""
        assert check_signature(BODY, sign(BODY, b"other"), SECRET) is SignatureCheck.MISMATCH

    def test_a_changed_body_is_a_mismatch(self) -> None:
        """One byte changed after signing fails."""
        header = sign(BODY, SECRET)
        assert check_signature(BODY + b" ", header, SECRET) is SignatureCheck.MISMATCH


class TestVerifyToken:
    def test_the_configured_token_verifies(self) -> None:
        """The handshake token equal to ours passes."""
        assert check_verify_token("chosen-token", "chosen-token")

    def test_another_or_no_token_does_not(self) -> None:
        """Any other token, or none, fails."""
        assert not check_verify_token("chosen-tokeN", "chosen-token")
        assert not check_verify_token(None, "chosen-token")
