"""Property tests: the text rules never raise, whatever the text, and return tuples of Findings."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.rules_quality import labeled_context
from classifiers.finding import Finding
from classifiers.off_channel_contact import detect_off_channel_contact
from classifiers.student_confidentiality import detect_student_confidentiality
from classifiers.text_match import fold, mask_phone
from ingest.post import MAX_TEXT_CHARS, Post
from tests.builders import PARENT_ROBIN, STUDENT_JORDAN, make_post, make_reply

DETECTORS = (detect_student_confidentiality, detect_off_channel_contact)

# Sized for a 2-core machine: huge texts are few, short ones many.
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HUGE = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Pieces that exercise every path: names, handles, terms, invitations, contacts,
# initials, punctuation, control characters, other scripts and emoji.
PIECES = [
    "Jordan Quill", "jordan quill's", "Quill, Jordan", "Jordan Q.", "@jq_student", "@avery_l",
    "Rob Tate", "Elizabeth Hope", "hunter green", "Grace Hall", "Pat Nguyen",
    "detention", "failing", "an F", "a D-", "scored 42", "98% on the final", "GPA 1.9",
    "ADHD", "IEP", "504 plan", "divorce", "lives at 18 Oak Street", "congrats", "points",
    "DM me", "text me", "add me on Snapchat", "my cell", "don't", "555-201-4467",
    "+1 555 201 4467", "x@gmail.com", "m.ayers@example.org", "discord.gg/", "ext 214",
    ". ", "; ", "\n", "!", "?", " ", "-", "'", "\u2019", "\x00", "\x1b[31m", "\u200b",
    "日本語", "Ñandú", "İ", "ß", "😀", "👨‍👩‍👧", "\U0001f9ea",
]  # fmt: skip

texts = st.text(max_size=2_000) | st.lists(st.sampled_from(PIECES), max_size=200).map("".join)
huge_texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(
    lambda pieces: ("".join(pieces) * (MAX_TEXT_CHARS // max(1, len("".join(pieces))) + 1))[
        :MAX_TEXT_CHARS
    ]
)


def posts(text: str) -> list[Post]:
    return [
        make_post(text=text),
        make_reply(STUDENT_JORDAN, text=text),
        make_reply(PARENT_ROBIN, text=text),
    ]


def check(text: str) -> None:
    context = labeled_context()
    for post in posts(text):
        for detect in DETECTORS:
            found = detect(post, context)
            assert isinstance(found, tuple)
            assert all(isinstance(finding, Finding) for finding in found)
            assert len(found) <= 1


class TestTextRules:
    @FAST
    @given(texts)
    def test_detectors_never_raise_on_any_text(self, text):
        """Both detectors return a tuple of at most one Finding for any text."""
        check(text)

    @HUGE
    @given(huge_texts)
    def test_detectors_never_raise_on_huge_text(self, text):
        """Both detectors handle posts of the maximum length."""
        check(text)


class TestTextHelpers:
    @FAST
    @given(st.text())
    def test_fold_keeps_length(self, text):
        """Folding never changes a text's length, so offsets stay valid."""
        assert len(fold(text)) == len(text)

    @FAST
    @given(st.text(alphabet="0123456789-. ()+", max_size=40))
    def test_mask_phone_keeps_shape_and_hides_the_middle(self, number):
        """Masking keeps length and separators, and shows at most five digits of ten."""
        masked = mask_phone(number)
        assert len(masked) == len(number)
        assert [c for c in masked if not c.isdigit() and c != "*"] == [
            c for c in number if not c.isdigit()
        ]
        digits = sum(c.isdigit() for c in number)
        if digits == 10:
            assert sum(c.isdigit() for c in masked) == 5
