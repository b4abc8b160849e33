import dataclasses
import json
import re

import pytest

from bench.rules_quality import SETS, labeled_context, labeled_post, load_examples
from classifiers.finding import Severity
from classifiers.student_confidentiality import RULE, detect_student_confidentiality
from classifiers.student_names import NameKind, StudentNameIndex, student_name_index
from ingest.post import PostKind, Visibility
from policy.context import DistrictContext
from policy.roster import Person, Role
from tests.builders import (
    OKAFOR,
    PARENT_ROBIN,
    STUDENT_AVERY,
    STUDENT_JORDAN,
    make_post,
    make_reply,
    sample_context,
)


def detect(text, context=None, **fields):
    post = make_post(text=text, **fields)
    return detect_student_confidentiality(post, context or sample_context())


def direct_message(to_account, text):
    return make_post(
        author_account_id=OKAFOR,
        kind=PostKind.DIRECT_MESSAGE,
        visibility=Visibility.PRIVATE,
        thread_id=f"{OKAFOR}-{to_account}",
        recipient_account_ids=(to_account,),
        text=text,
    )


class TestIdentification:
    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("Jordan Quill has detention.", "full_name"),
            ("Jordan Quill's detention starts today.", "full_name"),
            ("Quill, Jordan: detention today.", "full_name"),
            ("JORDAN QUILL HAS DETENTION", "full_name"),
            ("jordan quill has detention", "full_name"),
            ("Jordan Q. has detention.", "name_initial"),
            ("@jq_student you have detention.", "handle"),
            ("@JQ_Student you have detention", "handle"),
        ],
    )
    def test_each_form_identifies_the_student(self, text, kind):
        """Full name, possessive, family-comma-given, initial and @handle all identify s-001."""
        [finding] = detect(text)
        assert finding.student_ids == ("s-001",)
        assert finding.evidence["identified_by"] == [{"student_id": "s-001", "kinds": [kind]}]

    @pytest.mark.parametrize(
        ("text", "student_id"),
        [
            ("Rob Tate has detention.", "s-101"),
            ("Bobby Tate has detention.", "s-101"),
            ("Elizabeth Hope has detention.", "s-104"),
            ("Beth Hope has detention.", "s-104"),
        ],
    )
    def test_nickname_forms_identify_the_student(self, text, student_id):
        """A nickname form of the roster given name (either way round) identifies the student."""
        [finding] = detect(text, labeled_context())
        assert finding.student_ids == (student_id,)
        assert finding.evidence["identified_by"][0]["kinds"] == ["nickname"]

    def test_public_reply_to_a_student_identifies_them(self):
        """A public reply to a student's account is about that student, named or not."""
        post = make_reply(STUDENT_JORDAN, text="You have detention today.")
        [finding] = detect_student_confidentiality(post, sample_context())
        assert finding.student_ids == ("s-001",)
        assert finding.evidence["identified_by"][0]["kinds"] == ["addressed_account"]

    def test_first_name_alone_does_not_identify(self):
        """A given name alone is too common to identify a student."""
        assert detect("Jordan has detention today.") == ()

    def test_family_name_as_a_word_does_not_identify(self):
        """A family name alone ("quill") is an ordinary word."""
        assert detect("Grab a quill; missing work means detention.") == ()

    def test_student_no_longer_current_is_not_identified(self):
        """A tobedeleted student (s-004) is not a current student."""
        assert detect("Pat Nguyen was suspended twice.") == ()

    def test_uncapitalized_name_in_a_capitalized_post_is_a_word(self):
        """In a post that capitalizes sentences, "hunter green" in lower case is a colour."""
        text = "New hunter green uniforms arrive; players failing a class can't suit up."
        assert detect(text, labeled_context()) == ()

    def test_staff_name_is_not_a_student(self):
        """A staff member named with a confidential term is not this rule's concern."""
        assert detect("Dana Okafor is out this week for surgery.") == ()

    def test_ambiguous_initial_identifies_every_candidate(self):
        """Two students sharing given name and initial are both identified by "Jordan Q."."""
        data = sample_context().data
        quinn = Person("s-009", Role.STUDENT, ("org-whs",), "Jordan", "Quinn")
        context = DistrictContext(dataclasses.replace(data, people=(*data.people, quinn)))
        [finding] = detect("Jordan Q. has detention.", context)
        assert set(finding.student_ids) == {"s-001", "s-009"}


class TestCategories:
    @pytest.mark.parametrize(
        ("text", "category"),
        [
            ("Jordan Quill is failing Algebra II.", "grades"),
            ("Jordan Quill got an F on the lab report.", "grades"),
            ("Jordan Quill scored 42 on the midterm.", "grades"),
            ("Jordan Quill was suspended for three days.", "discipline"),
            ("Jordan Quill got sent to the office again.", "discipline"),
            ("Jordan Quill has ADHD.", "health"),
            ("Jordan Quill is in the hospital.", "health"),
            ("Jordan Quill has an IEP.", "special_education"),
            ("Jordan Quill's 504 plan allows a quiet room.", "special_education"),
            ("Jordan Quill's parents are getting a divorce.", "family"),
            ("Jordan Quill lives with his grandma.", "family"),
            ("Jordan Quill gets free lunch.", "family"),
        ],
    )
    def test_each_category_is_raised(self, text, category):
        """Each confidential category, with the student named, raises one high finding."""
        [finding] = detect(text)
        assert finding.rule == RULE
        assert finding.severity is Severity.HIGH
        assert finding.evidence["categories"] == [category]

    def test_evidence_lists_the_matched_terms(self):
        """Evidence holds the matched terms by category."""
        [finding] = detect("Jordan Quill has detention and ADHD.")
        assert finding.evidence["terms"] == {"discipline": ["detention"], "health": ["adhd"]}

    def test_street_address_is_reported_by_label_not_value(self):
        """A street address is evidence as a label, never the address itself."""
        [finding] = detect("Jordan Quill lives at 18 Oak Street.")
        assert "street address" in finding.evidence["terms"]["family"]
        assert "oak" not in json.dumps(finding.evidence).lower()

    def test_pronoun_in_the_next_sentence_carries_the_name(self):
        """ "Be patient with X. He has ADHD." links the term to X."""
        assert detect("Please be patient with Jordan Quill. He has ADHD.")

    def test_term_in_an_unrelated_sentence_is_not_linked(self):
        """A general announcement in another sentence is not about the named student."""
        assert detect("Jordan Quill will read announcements. Report cards go home Friday.") == ()


class TestNotConfidential:
    @pytest.mark.parametrize(
        "text",
        [
            "Congratulations to Jordan Quill on winning the science fair!",
            "Avery Lund made honor roll again this quarter!",
            "Jordan Quill scored 24 points in the win over Central!",
            "Great job Avery Lund, 98% on the final!",
            "Proud of Avery Lund for earning an A+ on her research paper!",
            "Jordan Quill's game was suspended due to lightning.",
            "Avery Lund is a peer tutor for students who are failing math.",
            "Jordan Quill gave a great presentation for ADHD awareness month.",
            "Jordan Quill, report to room 504 for yearbook photos.",
            "Jordan Quill will address the assembly on Friday.",
            "Avery Lund was sent to the office to pick up her award!",
            "Casey Marsh's essay on the Great Depression was outstanding.",
            "Detention will be held in room 204 this week.",
            "The allergy-friendly table was Avery Lund's idea.",
        ],
    )
    def test_hard_negative_is_not_raised(self, text):
        """Praise, sports, topics and general announcements raise nothing."""
        assert detect(text) == ()

    def test_strong_term_stands_in_praise(self):
        """Praise does not hide a disclosed F or a health condition."""
        assert detect("Congrats to Jordan Quill for raising his grade from an F to a C!")
        assert detect("Shout-out to Avery Lund, who overcame her asthma!")


class TestScope:
    def test_student_author_is_not_raised(self):
        """A student's own post is not a staff disclosure."""
        assert detect("Jordan Quill has detention.", author_account_id=STUDENT_JORDAN) == ()

    def test_private_message_to_the_student_is_not_a_disclosure(self):
        """Telling a student their own grade in a private message discloses nothing."""
        post = direct_message(STUDENT_JORDAN, "Jordan Quill, you are failing chemistry.")
        assert detect_student_confidentiality(post, sample_context()) == ()

    def test_private_message_to_a_parent_about_their_child_is_not_a_disclosure(self):
        """A private message to a parent about their own child discloses nothing."""
        post = direct_message(PARENT_ROBIN, "Jordan Quill is failing chemistry.")
        assert detect_student_confidentiality(post, sample_context()) == ()

    def test_private_message_about_another_student_is_raised(self):
        """A private message to one student about another is a disclosure about the other."""
        post = direct_message(STUDENT_AVERY, "Jordan Quill is failing chemistry.")
        [finding] = detect_student_confidentiality(post, sample_context())
        assert finding.student_ids == ("s-001",)

    def test_empty_post_is_not_raised(self):
        """A post without text raises nothing."""
        assert detect("") == ()


class TestFindingText:
    def test_summary_names_staff_and_policy_but_no_student(self):
        """The summary names the staff member and the policy line, never the student."""
        [finding] = detect("Jordan Quill has ADHD.")
        assert finding.summary.startswith("Morgan Ayers posted health information about")
        assert "breaking the policy line" in finding.summary
        assert "Jordan" not in finding.summary and "Quill" not in finding.summary
        assert finding.staff_id == "t-ayers" and finding.building_id == "org-whs"

    def test_no_student_name_in_summary_or_evidence_across_the_labeled_set(self):
        """For every labeled post, no student's name or handle appears in summary or evidence."""
        context = labeled_context()
        students = [p for p in context.data.people if p.is_student]
        handles = [a.handle for a in context.data.accounts if a.handle]
        words = {w for p in students for w in (p.given_name, p.family_name)} | set(handles)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
        raised = 0
        for number, example in enumerate(load_examples(SETS[RULE])):
            for finding in detect_student_confidentiality(labeled_post(example, number), context):
                raised += 1
                assert not pattern.search(finding.summary + json.dumps(finding.evidence))
        assert raised > 100


class TestNameIndex:
    def test_index_is_built_once_per_context(self):
        """The cached index of a context is reused for its next posts."""
        context = sample_context()
        assert student_name_index(context) is student_name_index(context)

    def test_a_reloaded_district_gets_its_own_index(self):
        """Another context over equal data is another cache key (identity, not equality)."""
        fresh = DistrictContext(sample_context().data)
        assert student_name_index(fresh) is not student_name_index(sample_context())

    def test_context_hashes_by_identity(self):
        """DistrictContext stays hashable by identity, which the index cache relies on."""
        assert hash(sample_context()) == object.__hash__(sample_context())

    def test_an_explicit_index_is_used(self):
        """A caller-held index replaces the cached one."""
        empty = StudentNameIndex.from_people((), ())
        post = make_post(text="Jordan Quill has detention.")
        assert detect_student_confidentiality(post, sample_context(), names=empty) == ()

    def test_index_skips_students_no_longer_current(self):
        """The index holds current students only."""
        index = StudentNameIndex.from_context(sample_context())
        found = index.find("Pat Nguyen, Jordan Quill")
        assert [(m.student_id, m.kind, m.start) for m in found] == [
            ("s-001", NameKind.FULL_NAME, 12)
        ]


class TestLabeledSet:
    def test_set_is_large_and_about_half_hard_negatives(self):
        """The labeled set has at least 200 posts and 40-60% negatives."""
        examples = load_examples(SETS[RULE])
        negatives = sum(1 for e in examples if e.label == 0)
        assert len(examples) >= 200
        assert 0.4 <= negatives / len(examples) <= 0.6
