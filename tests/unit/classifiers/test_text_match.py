import itertools

import pytest

from classifiers.text_match import (
    EMAIL_PATTERN,
    PHONE_PATTERN,
    compile_terms,
    email_domain,
    fold,
    mask_email,
    mask_phone,
    sentences,
    tokens,
)


class TestFold:
    def test_lower_cases_ascii(self):
        """ASCII text is simply lower-cased."""
        assert fold("DM Me NOW") == "dm me now"

    def test_strips_accents(self):
        """Accented letters fold to their base letter."""
        assert fold("José Nuñez") == "jose nunez"

    def test_folds_curly_apostrophes_and_dashes(self):
        """Typographic apostrophes and dashes fold to ASCII ones."""
        assert fold("Quill\u2019s \u2014 ok") == "quill's - ok"

    @pytest.mark.parametrize("text", ["İstanbul", "Straße", "ﬁne", "😀 emoji", "日本語", "a\x00b"])
    def test_keeps_the_length(self, text):
        """Folding keeps one character per character, so offsets map back to the original."""
        assert len(fold(text)) == len(text)


class TestTokens:
    def test_splits_on_apostrophes_and_hyphens(self):
        """Possessives and hyphenated names split into words the same way names do."""
        assert [t.text for t in tokens("quill's smith-jones")] == ["quill", "s", "smith", "jones"]

    def test_keeps_offsets(self):
        """Each word carries its offsets in the text."""
        [word] = tokens("  hi")
        assert (word.start, word.end) == (2, 4)


class TestCompileTerms:
    @pytest.mark.parametrize(
        ("text", "found"),
        [("has detention", True), ("detentions", False), ("predetention", False), ("ieps2", False)],
    )
    def test_matches_whole_words_only(self, text, found):
        """A term matches as a whole word, never inside another word."""
        pattern = compile_terms(["detention", "iep"])
        assert bool(pattern.search(text)) is found


class TestSentences:
    def test_splits_on_terminal_punctuation(self):
        """Periods, exclamation and question marks end sentences."""
        text = "one. two! three?"
        assert [text[s.start : s.end].strip() for s in sentences(text)] == [
            "one.",
            "two!",
            "three?",
        ]

    @pytest.mark.parametrize("text", ["jordan q. failed", "ms. ayers said so", "a; b"])
    def test_initials_titles_and_semicolons_do_not_end_a_sentence(self, text):
        """A period after an initial or a title, and a semicolon, keep the sentence going."""
        assert len(sentences(text)) == 1

    def test_covers_every_character(self):
        """The sentences tile the text without gaps."""
        text = "a. b\n\nc"
        spans = sentences(text)
        assert spans[0].start == 0 and spans[-1].end == len(text)
        assert all(x.end == y.start for x, y in itertools.pairwise(spans))

    def test_empty_text_is_one_empty_sentence(self):
        """Empty text still has one (empty) sentence, so lookups never fail."""
        assert [(s.start, s.end) for s in sentences("")] == [(0, 0)]


class TestPhonePattern:
    @pytest.mark.parametrize(
        "number",
        ["555-201-4467", "(555) 201-4467", "555.201.4467", "5552014467", "+1 555 201 4467",
         "555-0100", "+44 20 7946 0958"],
    )  # fmt: skip
    def test_finds_phone_numbers(self, number):
        """Common written forms of phone numbers are found whole."""
        assert PHONE_PATTERN.search(f"call {number} now").group() == number

    @pytest.mark.parametrize("text", ["text STOP to 55555", "line 741741", "call 988", "5552014"])
    def test_ignores_short_codes_and_bare_seven_digits(self, text):
        """Short codes and seven digits without a separator are not phone numbers."""
        assert PHONE_PATTERN.search(text) is None


class TestEmailPattern:
    def test_finds_an_address(self):
        """An email address is found whole."""
        assert EMAIL_PATTERN.search("mail dana.o77@gmail.com.").group() == "dana.o77@gmail.com"

    def test_ignores_a_handle(self):
        """An @handle is not an email address."""
        assert EMAIL_PATTERN.search("DM @WilmingtonHS today") is None

    def test_domain_is_lower_cased(self):
        """The domain of an address is compared lower-cased."""
        assert email_domain("M.Ayers@Example.ORG") == "example.org"


class TestMasking:
    @pytest.mark.parametrize(
        ("number", "masked"),
        [
            ("555-201-4467", "555-***-**67"),
            ("(555) 201-4467", "(555) ***-**67"),
            ("5552014467", "555*****67"),
            ("+1 555 201 4467", "+1 555 *** **67"),
            ("555-0100", "555-**00"),
        ],
    )
    def test_phone_keeps_area_code_and_last_two_digits(self, number, masked):
        """A masked phone number shows its first three and last two digits only."""
        assert mask_phone(number) == masked

    def test_email_keeps_first_letter_and_domain(self):
        """A masked email address shows the mailbox's first letter and the domain."""
        assert mask_email("dana.okafor77@gmail.com") == "d***@gmail.com"
