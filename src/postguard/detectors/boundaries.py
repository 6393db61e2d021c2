"""Blurred professional boundaries with clients on social media (IPALA 2(e)).

"Added all my clients on FB so I can keep an eye on them": a member connects
with, watches or messages clients from a personal social media account. The
frame (frames.py, ``boundaries.client_contact``) needs a connecting verb
aimed at clients *and* a personal channel or a watching purpose nearby, so
"follow our official page" and "I keep an eye on my clients' progress at the
clinic" pass.
"""

from __future__ import annotations

from postguard.detectors.base import Detector, Document, Hit
from postguard.detectors.frames import frame_hits


class BoundariesDetector(Detector):
    """Clients friended, followed, watched or messaged from a personal account."""

    name = "clinical.boundaries"
    categories = frozenset({"clinical.boundaries"})
    summary = (
        "Clients friended, followed, watched or messaged on personal social media"
        " (blurred professional boundaries)."
    )

    def detect(self, doc: Document) -> list[Hit]:
        if doc.context.direction != "outbound":
            return []
        return frame_hits("clinical.boundaries", doc.text)
