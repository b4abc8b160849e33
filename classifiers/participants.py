"""Who is on each side of a post: the staff author and the students or parents it addresses."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ingest.post import Post
from policy.context import DistrictContext
from policy.roster import Person


class Relation(StrEnum):
    STUDENT = "student"
    PARENT = "parent"


@dataclass(frozen=True, slots=True)
class Counterpart:
    """A current student, or a current parent of one, that a post is directed at."""

    account_id: str
    person_id: str
    relation: Relation
    # The students this counterpart stands for: the student, or the parent's children.
    student_ids: tuple[str, ...]


def staff_author(post: Post, context: DistrictContext) -> Person | None:
    """The current staff member who owns the posting account, if any."""
    owner = context.owner_of(post.platform, post.author_account_id)
    if owner is None or not owner.is_staff or not owner.is_current:
        return None
    return owner


def student_counterparts(post: Post, context: DistrictContext) -> tuple[Counterpart, ...]:
    """Current students and parents among the accounts the post replies to, mentions or messages."""
    found: list[Counterpart] = []
    for account_id in post.addressed_account_ids:
        owner = context.owner_of(post.platform, account_id)
        if owner is None or not owner.is_current:
            continue
        if owner.is_student:
            found.append(
                Counterpart(account_id, owner.sourced_id, Relation.STUDENT, (owner.sourced_id,))
            )
        elif owner.is_parent:
            children = context.students_of_parent(owner.sourced_id)
            if children:
                found.append(Counterpart(account_id, owner.sourced_id, Relation.PARENT, children))
    return tuple(found)


def involved_student_ids(counterparts: tuple[Counterpart, ...]) -> tuple[str, ...]:
    """The distinct students behind a set of counterparts, in first-seen order."""
    return tuple(dict.fromkeys(sid for c in counterparts for sid in c.student_ids))


def display_name(person: Person) -> str:
    """A staff member's name as a principal knows it."""
    name = f"{person.given_name} {person.family_name}".strip()
    return name or person.sourced_id


def students_addressed(post: Post, context: DistrictContext) -> tuple[Counterpart, ...]:
    """Only the current students a post replies to, mentions or messages (parents left out)."""
    return tuple(c for c in student_counterparts(post, context) if c.relation is Relation.STUDENT)


def incident_key(post: Post) -> str:
    """One key for every finding about one post, whatever the rule.

    Alerts stay one per (district, rule, post); a mailer that groups by this key (the
    same as grouping by the alert fields district_id, platform and post_id) tells a
    principal about one post once, listing every rule it breaks.
    """
    return f"{post.district_id}:{post.platform}:{post.post_id}"
