"""unregistered_external_site: "Maintaining an external website": a site with instructional or
co-curricular content is registered with the district (external_sites.csv)."""

import dataclasses

from classifiers.finding import Severity
from classifiers.unregistered_external_site import (
    RULE,
    detect_unregistered_external_site,
    why_not_raised,
)
from policy.context import DistrictContext
from tests.builders import PARENT_ROBIN, STUDENT_JORDAN, make_post, make_reply, sample_context

GOOGLE_SITE = "https://sites.google.com/view/ayers-bio-notes"


def detect(post, context=None):
    return detect_unregistered_external_site(post, context or sample_context())


def test_unregistered_google_site_with_study_notes_is_raised():
    """A staff post sending students to an unregistered Google Site for notes is raised."""
    post = make_post(text="Unit 3 notes are on my site!", links=(GOOGLE_SITE,))
    [finding] = detect(post)
    assert finding.rule == RULE and finding.severity is Severity.MEDIUM
    assert finding.evidence["links"] == [
        {"url": GOOGLE_SITE, "host": "sites.google.com", "kind": "sites.google.com"}
    ]
    assert "notes" in finding.evidence["instructional_words"]


def test_sent_to_a_student_is_high():
    """A link sent to a student directly is high, whatever the words."""
    post = make_reply(STUDENT_JORDAN, text="here you go", links=("https://padlet.com/ayers/b",))
    [finding] = detect(post)
    assert finding.severity is Severity.HIGH and finding.student_ids == ("s-001",)


def test_registered_site_is_fine():
    """A link to the staff member's registered site (external_sites.csv) is not raised."""
    post = make_post(text="Homework is posted", links=("https://ayersbio.example.org/unit3",))
    assert detect(post) == ()


def test_district_domain_is_never_external():
    """A page on a district_domains site is the district's own."""
    post = make_post(
        text="Homework is posted",
        links=("https://www.wilmington209u.example.org/ayers/homework",),
    )
    assert detect(post) == ()


def test_youtube_channel_counts_but_a_video_does_not():
    """A YouTube channel is a site the teacher maintains; one video is not."""
    channel = make_post(text="Review videos here", links=("https://www.youtube.com/@MsAyersBio",))
    video = make_post(text="Review video", links=("https://www.youtube.com/watch?v=abc",))
    assert len(detect(channel)) == 1 and detect(video) == ()


def test_personal_domain_with_the_staff_name_counts():
    """A domain carrying the staff member's family name is a personal site."""
    post = make_post(text="Study guide here", links=("https://mrs-ayers-science.example.net/",))
    assert detect(post)[0].evidence["links"][0]["kind"] == "a personal domain"


def test_public_post_without_instructional_words_is_not_raised():
    """A personal photo blog shared publicly, with no instructional words, is not raised."""
    post = make_post(text="Sunset from my trip", links=("https://ayersphotos.wordpress.com/",))
    assert detect(post) == ()


def test_publisher_site_is_not_one_the_teacher_maintains():
    """A link to a publisher or reference site is not an external site of the employee."""
    post = make_post(text="Homework: read this", links=("https://www.nature.com/articles/x",))
    assert detect(post) == ()


def test_a_colleagues_registered_site_is_fine():
    """Any staff member's registered site may be shared."""
    context = sample_context()
    data = context.data
    site = dataclasses.replace(data.external_sites[0], staff_id="t-okafor", url=GOOGLE_SITE)
    other = DistrictContext(dataclasses.replace(data, external_sites=(*data.external_sites, site)))
    post = make_post(text="Practice schedule", links=(GOOGLE_SITE,))
    assert detect(post, other) == ()


def test_parent_author_is_not_raised():
    """Only staff posts are this rule's."""
    post = make_post(author_account_id=PARENT_ROBIN, text="notes", links=(GOOGLE_SITE,))
    assert detect(post) == ()
    assert why_not_raised(post, sample_context()).startswith("the author is not")
