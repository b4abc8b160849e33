"""The one normalisation of hostile text: invisible characters, look-alikes, spelled-out words."""

import time

import pytest

from classifiers.normalise import normalise, squeeze
from classifiers.off_channel_contact import detect_off_channel_contact
from classifiers.student_confidentiality import detect_student_confidentiality
from tests.builders import STUDENT_JORDAN, make_post, make_reply, sample_context


class TestNormalise:
    @pytest.mark.parametrize(
        ("text", "folded"),
        [
            ("D\u200bM me", "dm me"),
            ("DM\u200cme", "dmme"),
            ("dm\u00adme", "dmme"),
            ("sn\u0430pchat", "snapchat"),
            ("J\u043erdan", "jordan"),
            ("\uff53\uff4e\uff41\uff50", "snap"),
            ("\U0001d42c\U0001d427\U0001d41a\U0001d429", "snap"),
            ("D\u202eM\u202c me", "dm me"),
            ("sna\ufe0fp", "snap"),
            ("s\u2060n\u2063a\u034fp", "snap"),
        ],
    )
    def test_invisible_characters_and_look_alikes_fold_to_latin(self, text, folded):
        """What a reader sees is what the folded text says."""
        assert normalise(text).folded == folded

    def test_ascii_text_is_its_own_normal_form(self):
        """Plain ASCII keeps its offsets: no origin table is built."""
        seen = normalise("Text me at 555-201-4477")
        assert seen.origin is None and seen.folded == "text me at 555-201-4477"

    def test_quote_gives_back_the_original_characters(self):
        """A span of the visible text quotes the original, invisible characters included."""
        seen = normalise("please D\u200bM me now")
        start = seen.folded.index("dm me")
        assert seen.quote(start, start + 5) == "D\u200bM me"

    def test_letters_of_other_scripts_without_a_latin_twin_stay(self):
        """Greek words that look like no Latin letters are kept as they are."""
        assert normalise("\u03bb\u03be").visible == "\u03bb\u03be"

    def test_63k_of_invisible_and_lookalike_characters_normalise_fast(self):
        """A post at Facebook's length limit normalises well within 100 ms."""
        text = ("\u200b\u0430\u00ad\u043e" * 16_000)[:63_206]
        started = time.perf_counter()
        normalise(text)
        assert time.perf_counter() - started < 0.5


class TestSqueeze:
    @pytest.mark.parametrize(
        ("folded", "squeezed"),
        [
            ("d.m. me", "dm me"),
            ("d m me", "dm me"),
            ("add me on s n a p", "add me on snap"),
            ("add me on s-n-a-p", "add me on snap"),
            ("sn4p me", "snap me"),
            ("add me on sn4pch4t", "add me on snapchat"),
        ],
    )
    def test_spelled_out_and_leet_words_are_joined(self, folded, squeezed):
        """Separators between single letters and letter-for-digit swaps are undone."""
        found = squeeze(folded)
        assert found is not None and found.text == squeezed

    @pytest.mark.parametrize("folded", ["call 555-201-4477", "i got a b in grade 10", "hello"])
    def test_numbers_and_ordinary_words_are_left(self, folded):
        """Phone numbers, grades and a lone 'a b' pair are not evasions."""
        assert squeeze(folded) is None

    def test_squeezed_offsets_point_into_the_folded_text(self):
        """A match in the squeezed text maps back to the spelled-out letters."""
        found = squeeze("ok d.m. me")
        assert found is not None
        start = found.text.index("dm me")
        assert found.span(start, start + 5) == (3, 10)


PROBES_OFF_CHANNEL = [
    "D\u200bM me",
    "DM\u200cme",
    "dm\u00adme",
    "add me on sn\u0430pchat",
    "D.M. me",
    "d m me",
    "add me on s n a p",
    "add me on sn4p",
]


class TestIssueProbes:
    @pytest.mark.parametrize("text", PROBES_OFF_CHANNEL)
    def test_evasive_invitations_are_found(self, text):
        """Each probe of issue #19 raises off_channel_contact to the student."""
        post = make_reply(STUDENT_JORDAN, text=text)
        assert detect_off_channel_contact(post, sample_context())

    def test_evidence_quotes_the_original_characters(self):
        """The phrase in the evidence is what the staff member typed, look-alike and all."""
        post = make_reply(STUDENT_JORDAN, text="add me on sn\u0430pchat")
        (finding,) = detect_off_channel_contact(post, sample_context())
        assert finding.evidence["phrases"] == ["add me on sn\u0430pchat"]

    @pytest.mark.parametrize(
        "text",
        [
            "Jordan\u200bQuill failed the test and has an IEP",
            "J\u043erdan Quill failed the test and has an IEP",
        ],
    )
    def test_hidden_student_names_are_found(self, text):
        """A zero-width space or a Cyrillic letter in a name still identifies the student."""
        assert detect_student_confidentiality(make_post(text=text), sample_context())
