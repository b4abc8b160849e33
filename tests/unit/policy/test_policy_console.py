"""district.yaml's optional `console` mapping: parsed, checked, and kept in records."""

from __future__ import annotations

from pathlib import Path

from policy import load_district
from policy.record_codec import decode_settings, encode_settings
from policy.record_fields import RecordFields


class TestConsoleYaml:
    def test_sample_settings(self, district: Path):
        """The sample district names Keycloak's realm, the client, its secret's variable."""
        console = load_district(district).settings.console
        assert console is not None
        assert console.issuer == "http://127.0.0.1:18081/realms/tapwatch"
        assert console.client_id == "tapwatch-console"
        assert console.client_secret_env == "TAPWATCH_CONSOLE_CLIENT_SECRET"
        assert console.reviewers == ("reviewer@example.org",)
        assert console.incident_link("a/1") == "http://127.0.0.1:18000/incidents/a%2F1"

    def test_absent_mapping_is_none(self, district: Path):
        """Without `console:` the district has no console settings."""
        text = (district / "district.yaml").read_text()
        (district / "district.yaml").write_text(text.split("console:")[0])
        assert load_district(district).settings.console is None

    def test_bad_values_are_placed(self, edit, problems):
        """A non-URL issuer, a bad variable name and a bad reviewer are each reported."""
        edit("district.yaml", "issuer: http://127.0.0.1:18081", "issuer: idp.example.org")
        edit(
            "district.yaml",
            "client_secret_env: TAPWATCH_CONSOLE_CLIENT_SECRET",
            "client_secret_env: my-secret",
        )
        edit("district.yaml", "reviewers: [reviewer@example.org]", "reviewers: [reviewer]")
        found = problems()
        assert [line.split(": ")[1] for line in found] == [
            "console.issuer",
            "console.client_secret_env",
            "console.reviewers[0]",
        ]

    def test_records_keep_the_console(self, district: Path):
        """Encoding and decoding the settings keeps the console section."""
        settings = load_district(district).settings
        record = {"district_id": settings.id, **encode_settings(settings)}
        assert decode_settings(RecordFields(record, "test")).console == settings.console
