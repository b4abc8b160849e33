"""Unit tests of the posts index documents (alerts/posts_index.py)."""

from datetime import UTC, datetime

from alerts.posts_index import deletion_doc_id, deletion_document, post_doc_id, post_document
from alerts.posts_index_template import POST_MAPPINGS
from ingest.post_deletion import PostDeletion
from tests.builders import make_post

NOW = datetime(2026, 10, 5, 20, 0, tzinfo=UTC)


class TestPostDocuments:
    def test_doc_id_names_district_platform_post_and_version(self):
        """A version's id is district:platform:post_id:version."""
        post = make_post()
        assert post_doc_id(post) == f"wilmington-209u:twitter:{post.post_id}:{post.version}"

    def test_an_edit_is_a_new_document(self):
        """An edited post (new text and edit time) gets another id."""
        post = make_post()
        edited = make_post(text="Reminder: lab reports due Monday!", edited_at=NOW)
        assert post_doc_id(post) != post_doc_id(edited)

    def test_document_fields_are_all_mapped(self):
        """Every field of a version document is in the template (dynamic is off)."""
        document = post_document(make_post(edited_at=NOW), NOW)
        assert set(document) <= set(POST_MAPPINGS["properties"])
        assert document["legal_hold"] is False and document["edited_at"] == "2026-10-05T20:00:00Z"

    def test_deletion_mark_is_one_document_per_post(self):
        """A deletion is district:platform:post_id:deleted with its times."""
        deletion = PostDeletion("d", "twitter", "p1", "t1", NOW, NOW)
        assert deletion_doc_id(deletion) == "d:twitter:p1:deleted"
        document = deletion_document(deletion)
        assert document["deleted"] is True and document["last_seen_at"] == "2026-10-05T20:00:00Z"
        assert set(document) <= set(POST_MAPPINGS["properties"])
