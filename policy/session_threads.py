"""sessions.csv thread ids as the platform shows them, in the form posts carry inside tapwatch.

The contract's `thread_id` is what the teacher sees: WordPress shows a post's number
(`8801`) and Edmodo a message's number, while the parsers key those threads
`post-8801` (ingest/wordpress.py `post_key`) and `message-8801` (ingest/edmodo.py
`message_key`) so a post and a comment with the same number never collide. The old
prefixed form is still accepted. Other platforms' ids are the platform's own.
"""

from __future__ import annotations

# Platform -> the prefix its parser puts before a bare number that names a thread.
_THREAD_PREFIXES = {"wordpress": "post-", "edmodo": "message-"}


def internal_thread_id(platform: str, shown: str) -> str:
    """The thread id posts of `platform` carry for the id `shown` in sessions.csv."""
    prefix = _THREAD_PREFIXES.get(platform)
    if prefix is not None and shown.isascii() and shown.isdigit():
        return prefix + shown
    return shown
