from datetime import UTC, datetime

from classifiers.thread_dialogue import PostRef, observe_thread
from classifiers.thread_state import (
    MAX_ENTRIES,
    Side,
    ThreadEntry,
    ThreadState,
    thread_state_from_json,
    thread_state_to_json,
)
from ingest.post import PostKind
from tests.builders import (
    AYERS,
    COMMUNITY,
    PARENT_ROBIN,
    SESSION_THREAD,
    STUDENT_AVERY,
    STUDENT_JORDAN,
    make_post,
    sample_context,
)

THREAD = "1600000000000000800"


def _at(hour, minute=0, day=5):
    return datetime(2026, 10, day, hour, minute, tzinfo=UTC)


STUDENT_AT = datetime(2026, 10, 5, 22, 0, tzinfo=UTC)
STAFF_AT = datetime(2026, 10, 5, 23, 0, tzinfo=UTC)


def _student_post(post_id="s1", at=STUDENT_AT, author=STUDENT_JORDAN, thread=THREAD):
    return make_post(
        post_id=post_id,
        author_account_id=author,
        kind=PostKind.COMMENT,
        thread_id=thread,
        created_at=at,
        text="can we use calculators?",
    )


def _staff_comment(post_id="t1", at=STAFF_AT, thread=THREAD, to=COMMUNITY):
    return make_post(
        post_id=post_id,
        kind=PostKind.COMMENT,
        thread_id=thread,
        created_at=at,
        in_reply_to_account_id=to,
        text="Thanks everyone, see you Monday",
    )


def _run(*posts):
    state, findings = ThreadState(), []
    for post in posts:
        state, found = observe_thread(post, sample_context(), state)
        findings.extend(found)
    return state, findings


class TestThreadDialogue:
    def test_staff_comment_after_student_in_thread_is_flagged(self):
        """A staff comment after a student wrote in the thread answers them in the thread."""
        _, [found] = _run(_student_post(), _staff_comment())
        assert found.post.post_id == "t1"
        assert found.finding.evidence["exchange"] == "thread_answer"
        assert found.finding.student_ids == ("s-001",)

    def test_student_arriving_after_a_later_staff_comment_flags_the_staff_comment(self):
        """Out of order: the student's earlier item arrives second and raises the staff item."""
        _, [found] = _run(_staff_comment(), _student_post())
        assert isinstance(found.post, PostRef)
        assert (found.post.post_id, found.post.created_at) == ("t1", _at(23))
        assert found.finding.staff_id == "t-ayers"

    def test_staff_comment_before_the_student_wrote_is_not_flagged(self):
        """A staff comment written before any student wrote is one-way, in either order."""
        _, in_order = _run(_staff_comment(at=_at(21)), _student_post(at=_at(22)))
        _, reversed_order = _run(_student_post(at=_at(22)), _staff_comment(at=_at(21)))
        assert in_order == [] and reversed_order == []

    def test_staff_root_post_is_never_a_thread_answer(self):
        """The staff member's own top-level post in the thread answers nobody."""
        root = make_post(post_id="root", thread_id=THREAD, created_at=_at(23))
        assert _run(_student_post(), root)[1] == []

    def test_answer_inside_registered_session_is_allowed(self):
        """A thread answer during the registered session raises nothing, in either order."""
        student = _student_post(author=STUDENT_AVERY, thread=SESSION_THREAD, at=_at(23, 5, day=6))
        staff = _staff_comment(thread=SESSION_THREAD, at=_at(23, 10, day=6))
        assert _run(student, staff)[1] == [] and _run(staff, student)[1] == []

    def test_parent_in_thread_gives_low_severity_about_their_student(self):
        """An answer after a parent wrote is low severity and names the parent's student."""
        parent = _student_post(author=PARENT_ROBIN)
        _, [found] = _run(parent, _staff_comment())
        assert found.finding.severity.value == "low" and found.finding.student_ids == ("s-001",)

    def test_direct_reply_to_student_is_left_to_the_single_post_rule(self):
        """A reply addressed to the student is raised by two_way_dialogue itself, not twice."""
        _, findings = _run(_student_post(), _staff_comment(to=STUDENT_JORDAN))
        assert findings == []

    def test_replayed_post_keeps_the_state_and_raises_the_same_findings(self):
        """A replay adds no entry but raises its findings again (deduplicated by alert id)."""
        state, [first] = _run(_student_post(), _staff_comment())
        again, [repeat] = observe_thread(_staff_comment(), sample_context(), state)
        assert again is state
        assert (repeat.post.post_id, repeat.finding) == (first.post.post_id, first.finding)

    def test_unknown_authors_are_not_remembered(self):
        """Items by accounts the district does not know are not kept in the thread state."""
        other = make_post(post_id="x", author_account_id=COMMUNITY, thread_id=THREAD)
        state, _ = _run(other)
        assert state.entries == ()


class TestThreadState:
    def test_json_round_trip(self):
        """A thread state survives its JSON form exactly."""
        state, _ = _run(_student_post(), _staff_comment())
        assert thread_state_from_json(thread_state_to_json(state)) == state

    def test_encoded_state_holds_no_more_memory_than_its_bytes(self):
        """The table keeps each encoded state for the life of its thread: the bytes must
        not carry the encoder's spare buffer (orjson's is about 4 KiB)."""
        import tracemalloc

        state, _ = _run(_student_post(), _staff_comment())
        tracemalloc.start()
        try:
            kept = [thread_state_to_json(state) for _ in range(100)]
            per_state = tracemalloc.get_traced_memory()[0] / len(kept)
        finally:
            tracemalloc.stop()
        assert per_state < len(kept[0]) + 200

    def test_entries_are_capped(self):
        """A thread keeps at most MAX_ENTRIES entries, dropping the oldest."""
        state = ThreadState()
        for minute in range(MAX_ENTRIES + 5):
            state = state.with_entry(
                ThreadEntry(f"p{minute}", AYERS, Side.STAFF, _at(10 + minute // 60, minute % 60))
            )
        assert len(state.entries) == MAX_ENTRIES
        assert state.entries[0].post_id == "p5"

    def test_last_activity_is_the_newest_item_whatever_the_arrival_order(self):
        """A late-arriving older item does not make the thread look newer than it is."""
        assert ThreadState().last_activity is None
        state, _ = _run(_staff_comment(at=STAFF_AT), _student_post(at=STUDENT_AT))
        assert STUDENT_AT < STAFF_AT
        assert state.last_activity == STAFF_AT

    def test_garbage_state_raises_invalid_event(self):
        """Unreadable stored state raises the project's InvalidEvent, nothing else."""
        import pytest

        from ingest.errors import InvalidEvent

        with pytest.raises(InvalidEvent):
            thread_state_from_json(b'[{"p": 1}]')
