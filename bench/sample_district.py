"""The sample district's folders and the X account ids of its invented people.

Shared by the benchmarks and the tests (tests/builders.py), so a benchmark never imports
the test suite.
"""

from __future__ import annotations

from pathlib import Path

SAMPLE_DISTRICT = Path(__file__).resolve().parents[1] / "samples" / "district"
SAMPLE_X = Path(__file__).resolve().parents[1] / "samples" / "x"

# Sample district accounts on X (see docs/sample-district-spec.md).
AYERS = "1500000000000000001"  # staff, organizational, approved
BAPTISTE_PERSONAL = "1500000000000000002"  # staff, personal page
OKAFOR = "1500000000000000004"  # staff, organizational
STUDENT_JORDAN = "1500000000000000011"  # s-001
STUDENT_AVERY = "1500000000000000012"  # s-002
PARENT_ROBIN = "1500000000000000021"  # p-001, parent of s-001
COMMUNITY = "1500000000000000099"  # not in accounts.csv
SESSION_THREAD = "1600000000000000500"
