"""`tapwatch rules explain` on an inappropriate post: category, score and weighed words."""

from __future__ import annotations

import json

from tapwatch.cli import main
from tests.builders import SAMPLE_DISTRICT

_TWEET = {
    "author_id": "1500000000000000001",
    "conversation_id": "1900000000000000001",
    "created_at": "2026-10-10T23:05:00.000Z",
    "edit_history_tweet_ids": ["1900000000000000001"],
    "id": "1900000000000000001",
    "lang": "en",
    "text": "Still drunk from last night and hungover, teaching 3rd period wasted lol",
}
_USERS = [{"id": "1500000000000000001", "name": "Ms. Ayers", "username": "MsAyersBio"}]


def test_explain_shows_the_category_score_and_words(tmp_path, capsys):
    """The decision line names the category in words, its score and the weighed words."""
    path = tmp_path / "drunk.jsonl"
    payload = {"data": [_TWEET], "includes": {"users": _USERS}, "meta": {"result_count": 1}}
    path.write_text(json.dumps(payload) + "\n")
    args = ["rules", "explain", "--district", str(SAMPLE_DISTRICT), "--platform", "twitter"]
    assert main([*args, str(path)]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "inappropriate_content: RAISED" in line)
    # "still drunk" is one phrase cue (session 12), so it may be weighed as one term.
    assert "drinking or drugs" in line and "score" in line
    assert '"drunk"' in line or '"still drunk"' in line
    assert '"category": "alcohol_drugs"' in out
