"""Facebook groups have no moderation API: every action is recorded with the steps to do it
by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from postguard.communities.base import Unsupported
from postguard.communities.facebook_group import FacebookGroupCommunity

GROUP = FacebookGroupCommunity(group_id="1234567890", access_token="ignored")
CALLS: list[tuple[str, Callable[[], Any], str]] = [
    ("read", lambda: GROUP.read(), "report form"),
    ("remove", lambda: GROUP.remove("1", "3.1"), "Remove post"),
    ("mute", lambda: GROUP.mute("1", datetime.now(UTC), "4.2"), "Mute member"),
    ("unmute", lambda: GROUP.unmute("1"), "Unmute member"),
    ("kick", lambda: GROUP.kick("1", "4.3"), "Remove member"),
    ("ban", lambda: GROUP.ban("1", "4.4"), "Block"),
    ("notice", lambda: GROUP.notice("1", "text"), "Messenger"),
    ("pin", lambda: GROUP.pin("policy"), "announcement"),
]


@pytest.mark.parametrize(("action", "call", "words"), CALLS, ids=[c[0] for c in CALLS])
def test_every_action_is_unsupported_with_instructions_for_the_groups_admin_tools(
    action: str, call: Callable[[], Any], words: str
) -> None:
    with pytest.raises(Unsupported) as caught:
        call()
    assert caught.value.action == action
    assert words in caught.value.instructions
    assert "not available" in str(caught.value)


def test_it_claims_no_capability() -> None:
    capabilities = FacebookGroupCommunity.capabilities
    assert not any(
        getattr(capabilities, name)
        for name in ("read", "remove", "mute", "kick", "ban", "notice", "pin", "reports")
    )
