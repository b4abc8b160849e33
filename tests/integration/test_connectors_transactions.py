"""The page writer's transaction: a page killed before its commit is never seen committed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from core.kafka_admin import ensure_topics
from core.pipeline_names import PipelineNames
from core.settings import KafkaSettings
from ingest.connectors.cursor_store import read_states
from ingest.connectors.kafka_page_writer import OutRecord, TransactionalPageWriter
from tests.integration.conftest import REPO, env_for, read_topic

# Begins a transaction, writes a post and a cursor, waits for the acknowledgements,
# then dies by SIGKILL before committing.
_KILLED_MID_PAGE = textwrap.dedent(
    """
    import os, signal, sys
    from ingest.connectors.kafka_page_writer import TransactionalPageWriter
    from core.settings import KafkaSettings
    posts, cursors, txn = sys.argv[1:4]
    writer = TransactionalPageWriter(KafkaSettings(), txn)
    producer = writer._producer
    producer.begin_transaction()
    producer.send(posts, key=b"k", value=b"uncommitted post")
    producer.send(cursors, key=b"d:twitter:1:timeline", value=b'{"v":1,"cursor":{"since_id":"9"}}')
    producer.flush()
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_a_page_killed_before_its_commit_is_aborted_by_the_next_writer(
    names: PipelineNames,
) -> None:
    """Records acknowledged but not committed stay invisible to read_committed readers."""
    settings = KafkaSettings()
    ensure_topics(settings, names)
    txn = f"test-killed-{names.namespace}"
    died = subprocess.run(
        [sys.executable, "-c", _KILLED_MID_PAGE, names.posts, names.connector_cursors, txn],
        cwd=REPO,
        env=env_for(names),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert died.returncode == -9, died.stderr
    assert [value for _, value in read_topic(names.posts, committed=False)] == [b"uncommitted post"]
    writer = TransactionalPageWriter(settings, txn)  # aborts the dead one's transaction
    try:
        assert read_topic(names.posts) == []
        assert read_states(settings, names.connector_cursors) == {}
        writer.commit_page([OutRecord(names.posts, b"k", b"committed post")])
    finally:
        writer.close()
    assert [value for _, value in read_topic(names.posts)] == [b"committed post"]
