"""Images attached to a post (see upload handling below)."""

from __future__ import annotations

from postguard.web.workflow.models import Post


def fingerprint(post: Post) -> list[list[str]]:
    """The post's images as they go out: digest, alt text, consent reference, credit."""
    return []
