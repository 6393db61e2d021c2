"""The entities detector: hard identifiers as privacy hits, the organisation's own excepted."""

from __future__ import annotations

import pytest

from postguard.content import Content, Context
from postguard.detectors.base import DetectorConfigError, Document
from postguard.detectors.entities import EntityDetector
from postguard.detectors.registry import detector_class

POST = Context(account="official", kind="post", audience="public", direction="outbound")
MEMBER = Context(account="personal", kind="post", audience="public", direction="outbound")


def categories(
    text: str, detector: EntityDetector | None = None, context: Context = POST
) -> list[tuple[str, str]]:
    doc = Document(Content(text, context=context))
    return [(h.category, h.evidence) for h in (detector or EntityDetector()).detect(doc)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("text 0412 555 019 tonight", [("privacy.phone", "0412 555 019")]),
        ("photos are with amara.nwosu@example.com", [("privacy.email", "amara.nwosu@example.com")]),
        (
            "Refund to GB82 WEST 1234 5698 7654 32",
            [("privacy.id_number", "GB82 WEST 1234 5698 7654 32")],
        ),
        ("OHIP 4536-210-987-XY for the referral", [("privacy.id_number", "4536-210-987-XY")]),
        ("parcel to Puruntie 82 Apt. 595", [("privacy.address", "Puruntie 82 Apt. 595")]),
        # not a person's
        ("Call our helpline on 0300 100 0212, 9am to 5pm.", []),
        ("Questions? Email info@example.org", []),
        ("doi:10.1016/S0140-6736(15)01024-7", []),
        ("Tickets £25; the conference runs 12-14 June 2025.", []),
        ("Amara Nwosu is 19", []),  # names and ages are for the context-aware rules
    ],
)
def test_it_reports_hard_identifiers_in_any_context(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert categories(text) == expected


def test_it_skips_the_associations_published_contacts() -> None:
    detector = EntityDetector(published=["01632 960 001", "@ipala.example.org"])
    assert categories("Ring us on +44 1632 960001 or stories@ipala.example.org", detector) == []
    assert categories("Ring 01632 960 002", detector) == [("privacy.phone", "01632 960 002")]


def test_it_is_registered_and_refuses_unknown_types() -> None:
    assert detector_class("entities") is EntityDetector
    with pytest.raises(DetectorConfigError, match="unknown entity type"):
        EntityDetector(types=["phone", "shoe_size"])
    with pytest.raises(DetectorConfigError):
        EntityDetector(published="0300 100 0212")


def test_it_flags_a_members_own_number_in_a_personal_post() -> None:
    text = "Reach me on 0433-751-375 or gerald09@example.org after 6pm"
    assert categories(text, context=MEMBER) == [
        ("privacy.phone", "0433-751-375"),
        ("privacy.email", "gerald09@example.org"),
    ]


def test_it_takes_our_staff_line_and_a_members_booking_line_for_work_contacts() -> None:
    assert categories("Reach me on 0433-751-375 after 6pm", context=POST) == []
    text = "Need a private consult? Email me at becky@lactation.example.com or text 07700 900902."
    assert categories(text, context=MEMBER) == []
