"""The raw schema hands each record's key and value bytes to the agents untouched."""

from __future__ import annotations

import asyncio

import faust
import pytest
from faust.types.tuples import Message

from core.pipeline_names import PipelineNames
from core.settings import ElasticsearchSettings, KafkaSettings
from streams.app import build_app
from streams.raw_schema import RawBytesSchema


def _message(key: bytes | None, value: bytes | None) -> Message:
    return Message("tapwatch-posts", 3, 17, 0.0, 0, [], key, value, None)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        (b"conv-1", b'{"post_id": "1"}'),
        (None, b"\xff\xfe not UTF-8 and not JSON"),  # the agent dead-letters it, not Faust
        (b"conv-2", None),  # a tombstone reaches the agent as None
    ],
)
def test_event_carries_the_record_bytes(key, value):
    async def decode_one():
        app = faust.App("raw-schema-test", broker="kafka://127.0.0.1:1", web_enabled=False)
        decode = RawBytesSchema().compile(app)
        message = _message(key, value)
        return await decode(message), message

    event, message = asyncio.run(decode_one())
    assert (event.key, event.value) == (key, value)
    assert event.message is message


def test_pipeline_topics_use_it():
    """The worker's topics decode with the raw schema (Faust's codecs never run)."""
    app = build_app(KafkaSettings(), ElasticsearchSettings(), PipelineNames("rawtest"))
    schemas = {
        agent.channel.get_topic_name(): agent.channel.schema for agent in app.agents.values()
    }
    assert schemas and all(isinstance(s, RawBytesSchema) for s in schemas.values())
