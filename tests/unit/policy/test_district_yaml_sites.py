"""district.yaml's district_domains, seal and reporting (issue 18), and their records."""

from __future__ import annotations

from pathlib import Path

from bench.sample_district import SAMPLE_DISTRICT
from policy import DistrictData, Seal, load_district


def _sample_line(start: str) -> int:
    """The sample district.yaml's line number of the line that starts so."""
    lines = (SAMPLE_DISTRICT / "district.yaml").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.startswith(start))


def test_sample_settings_are_read(sample: DistrictData):
    """The sample names its own domain, its seal by URL, and a 24-hour reporting deadline."""
    settings = sample.settings
    assert settings.district_domains == ("wilmington209u.example.org",)
    assert settings.seal == Seal(image_url="https://www.wilmington209u.example.org/tap-seal.png")
    assert settings.reporting_deadline_hours == 24.0


def test_seal_by_sha256(district: Path, edit):
    """A seal given by the image's sha256 is read in lower case."""
    digest = "AB" * 32
    edit("district.yaml", 'seal: {image_url: "https://www.wilmington209u.example.org/tap-seal.png"}',
         f"seal: {{sha256: {digest}}}")  # fmt: skip
    assert load_district(district).settings.seal == Seal(sha256=digest.lower())


def test_seal_with_both_keys_is_refused(edit, problems):
    """The seal is one of image_url and sha256, not both."""
    edit("district.yaml", 'seal: {image_url: "https://www.wilmington209u.example.org/tap-seal.png"}',
         'seal: {image_url: "https://a.example/s.png", sha256: ' + "0" * 64 + "}")  # fmt: skip
    line = _sample_line("seal:")
    assert problems() == [f"district.yaml:{line}: seal: give exactly one of image_url and sha256"]


def test_bad_domain_is_refused(edit, problems):
    """A district domain must be a host name."""
    edit("district.yaml", "district_domains: [wilmington209u.example.org]",
         "district_domains: [not a host]")  # fmt: skip
    [problem] = problems()
    line = _sample_line("district_domains:")
    assert problem.startswith(f"district.yaml:{line}: district_domains[0]: expected a host name")


def test_default_deadline_when_reporting_is_absent(district: Path, edit):
    """Without `reporting`, a questionable communication has 24 hours to be reported."""
    edit("district.yaml", "reporting:\n  deadline_hours: 24", "")
    assert load_district(district).settings.reporting_deadline_hours == 24.0


def test_settings_round_trip_through_records(sample: DistrictData):
    """Domains, seal and deadline survive the reference records the workers read."""
    from policy.record_codec import decode_settings, encode_settings
    from policy.record_fields import RecordFields

    record = {"district_id": sample.settings.id, **encode_settings(sample.settings)}
    decoded = decode_settings(RecordFields(record, "test"))
    assert decoded == sample.settings
