"""An Elasticsearch composable index template: one body shape for every tapwatch index."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

# Above Elasticsearch's built-in templates (priority 100 and below), which would
# otherwise match a name like `logs-*`; equal for all of ours, whose patterns do not overlap.
DEFAULT_PRIORITY = 200
# One shard, and a replica only once a second node exists: a single-node stack stays
# green and a district's data fits one shard.
BASE_SETTINGS: Mapping[str, Any] = {
    "number_of_shards": 1,
    "number_of_replicas": 0,
    "auto_expand_replicas": "0-1",
}


@dataclass(frozen=True, slots=True)
class ComposableTemplate:
    """A template by name: the index pattern it covers, its mappings and extra settings."""

    name: str
    pattern: str
    mappings: Mapping[str, Any]
    description: str
    settings: Mapping[str, Any] = field(default_factory=dict)
    priority: int = DEFAULT_PRIORITY

    def body(self) -> dict[str, Any]:
        """The body of `PUT _index_template/<name>`."""
        return {
            "index_patterns": [self.pattern],
            "priority": self.priority,
            "template": {
                "settings": {**BASE_SETTINGS, **self.settings},
                "mappings": self.mappings,
            },
            "_meta": {"description": self.description},
        }
