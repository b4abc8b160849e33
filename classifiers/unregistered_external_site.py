"""Rule unregistered_external_site: a staff post sending students to an unregistered site.

Policy ("Maintaining an external website"): an employee who maintains an external
website for instructional or co-curricular content registers it with the district,
links it with their district page, and shows the seal of approval.

Decisions:
- Whose post. A current staff member's post, comment or message (any audience: a
  public post is read by students).
- Which links. Post.links (HTML hrefs, URL entities). A link on a `district_domains`
  host, or on a site of external_sites.csv (any staff member's: a colleague's
  registered site may be shared), is fine.
- Which sites. Only sites a person builds and maintains: the common hosts (Google Sites,
  Wix, Weebly, Padlet, Blogger, WordPress.com, GitHub Pages, ..., classifiers/site_hosts.py),
  YouTube channels (not single videos), and a domain carrying the staff member's own
  family name (a personal blog). A link to a publisher or a news site is not a site the
  employee maintains.
- Instructional or co-curricular. The post says so (homework, notes, study guide,
  practice, club, ...) or it is addressed to a student; a personal photo blog shared
  publicly without such words is not raised.
- Evidence lists each unregistered link, its host kind and the words that made it
  instructional.
"""

from __future__ import annotations

from collections.abc import Sequence

from classifiers.finding import Finding, Severity
from classifiers.participants import (
    display_name,
    involved_student_ids,
    staff_author,
    students_addressed,
)
from classifiers.rule import RuleAbout
from classifiers.site_hosts import host_of, on_domain, personal_site_kind, same_site
from classifiers.text_match import compile_terms, fold
from ingest.post import Post
from policy.context import DistrictContext
from policy.roster import Person

RULE = "unregistered_external_site"
POLICY_LINE = (
    "an external website with instructional or co-curricular content is registered with "
    "the district, linked with the employee's district page and shows the seal of approval"
)
ABOUT = RuleAbout(
    checks=(
        "refers students to an external website with instructional or co-curricular content "
        "(Google Sites, Wix, Weebly, Padlet, a YouTube channel, a personal blog) that is not in "
        "external_sites.csv and not on a district_domains site"
    ),
    severity="medium; high when sent to a student directly",
    policy=POLICY_LINE,
)

_INSTRUCTIONAL = compile_terms(
    [
        r"homework|assignments?|notes|study\s+guides?|review|quiz(?:zes)?|tests?|exams?|lessons?",
        r"units?|chapters?|worksheets?|syllabus|labs?|projects?|readings?|vocab(?:ulary)?",
        r"resources|tutorials?|videos?|slides|class(?:es|room)?|course|students?|practice",
        r"rehearsals?|club|team|schedule|calendar|extra\s+credit|make-?up|period|grade\s+\d+",
    ]
)
# A family name shorter than this is too common to find in a host name (letters).
_MIN_NAME_IN_HOST = 4
_MAX_LINKS = 10


def _own_domain(url: str, staff: Person) -> bool:
    """A host that carries the staff member's family name (mrayersbio.com)."""
    name = "".join(ch for ch in fold(staff.family_name) if ch.isalnum())
    return len(name) >= _MIN_NAME_IN_HOST and name in host_of(url).replace("-", "")


def unregistered_links(post: Post, context: DistrictContext, staff: Person) -> list[dict[str, str]]:
    """Each link of the post to a personal site that is neither registered nor the district's."""
    domains = context.settings.district_domains
    registered = [site.url for site in context.data.external_sites]
    found: list[dict[str, str]] = []
    for link in post.links:
        host = host_of(link)
        if not host or on_domain(host, domains):
            continue
        if any(same_site(link, site) for site in registered):
            continue
        kind = personal_site_kind(link) or (
            "a personal domain" if _own_domain(link, staff) else None
        )
        if kind is not None:
            found.append({"url": link, "host": host, "kind": kind})
    return found[:_MAX_LINKS]


def detect_unregistered_external_site(post: Post, context: DistrictContext) -> Sequence[Finding]:
    """Raise when a staff post links students to an unregistered instructional site."""
    staff = staff_author(post, context)
    if staff is None or not post.links:
        return ()
    links = unregistered_links(post, context, staff)
    if not links:
        return ()
    students = students_addressed(post, context)
    folded = fold(post.text)
    cues = list(dict.fromkeys(m.group() for m in _INSTRUCTIONAL.finditer(folded)))[:5]
    if not cues and not students:
        return ()
    hosts = ", ".join(dict.fromkeys(link["host"] for link in links))
    return (
        Finding(
            rule=RULE,
            severity=Severity.HIGH if students else Severity.MEDIUM,
            staff_id=staff.sourced_id,
            summary=(
                f"{display_name(staff)} sent students on {post.platform} to {hosts}, an external "
                f"site not registered with the district, breaking the policy line: {POLICY_LINE}."
            ),
            student_ids=involved_student_ids(students),
            building_id=context.building_of(staff.sourced_id),
            evidence={
                "policy": POLICY_LINE,
                "links": links,
                "instructional_words": cues,
                "to_student": bool(students),
            },
        ),
    )


def why_not_raised(post: Post, context: DistrictContext) -> str:
    """Why the rule raised nothing: the first of its conditions the post does not meet."""
    staff = staff_author(post, context)
    if staff is None:
        return "the author is not a current staff member of the district"
    if not post.links:
        return "the post links to no web page"
    if not unregistered_links(post, context, staff):
        return "every link is registered, on a district domain, or not a personal site"
    return "no instructional words and not addressed to a student"
