"""E-mail addresses, URLs, @handles and IP addresses."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

from postguard.entities.base import (
    EVERY,
    Candidate,
    Hits,
    Pattern,
    Recognizer,
    is_boundary,
    rx,
)


class EmailRecognizer(Recognizer):
    name = "email"
    entity_type = "email"
    cue = ("@",)
    patterns = (
        Pattern(
            "email",
            r"[A-Za-z0-9\x{00C0}-\x{024F}][A-Za-z0-9._%+\-\x{00C0}-\x{024F}]{0,63}"
            r"@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}",
            0.95,
        ),
    )
    examples = (
        ("write to jo.haddad77@example.com today", "jo.haddad77@example.com"),
        ("email: amara.b@example.co.uk.", "amara.b@example.co.uk"),
        ("follow @lactationlinks", None),
    )


class UrlRecognizer(Recognizer):
    """Links. Reported at a low score: most links in posts are sources, not people."""

    name = "url"
    entity_type = "url"
    cue = ("http", "www.")
    patterns = (Pattern("url", r"(?:https?://|www\.)[^\s<>\"'()\[\]{}]+", 0.5, ignore_case=True),)
    examples = (("see https://example.org/cues for more", "https://example.org/cues"),)

    def validate(self, text: str, start: int, end: int) -> float | None:
        return -1.0


class HandleRecognizer(Recognizer):
    """Social media handles: "@amara_n", "@jo.haddad"."""

    name = "handle"
    entity_type = "handle"
    cue = ("@",)
    patterns = (Pattern("handle", r"@[A-Za-z0-9_][A-Za-z0-9_.]{1,29}[A-Za-z0-9_]", 0.7),)
    examples = (
        ("thanks @amara_n for sharing", "@amara_n"),
        ("mail jo@example.com", None),
    )

    def validate(self, text: str, start: int, end: int) -> float | None:
        if start and (text[start - 1].isalnum() or text[start - 1] in "._-+%"):
            return None  # part of an e-mail address
        if end < len(text) and (text[end] == "@" or text[end].isalnum()):
            return None
        return -1.0


_IPV4 = rx(r"\d{1,3}(?:\.\d{1,3}){3}")
_IPV6 = rx(r"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:%\w+)?")


class IpRecognizer(Recognizer):
    name = "ip"
    entity_type = "ip"
    negative_context = ("version", "v", "release", "build", "ver")
    examples = (
        ("my IP is 116.119.51.232", "116.119.51.232"),
        ("from 2001:db8:85a3::8a2e:370:7334 today", "2001:db8:85a3::8a2e:370:7334"),
        ("at 10:30:00 sharp", None),
        ("version 1.2.3.4", None),
        ("999.1.1.1", None),
    )

    def wanted(self, text: str, lower: str, has_digit: bool) -> bool:
        return has_digit and ("." in text or ":" in text)

    def screened(self) -> list[Any]:
        return [_IPV4, _IPV6]

    def candidates(self, text: str, lower: str, hits: Hits = EVERY) -> Iterator[Candidate]:
        for compiled, base in ((_IPV4, 0.9), (_IPV6, 0.9)):
            for m in hits.finditer(compiled, text):
                start, end = m.span()
                raw = text[start:end]
                if compiled is _IPV6 and (raw.count(":") < 2 or len(raw) < 6):
                    continue
                if not is_boundary(text, start, end) or (start and text[start - 1] in ".:"):
                    continue
                if end < len(text) - 1 and text[end] in ".:" and text[end + 1].isalnum():
                    continue
                try:
                    ipaddress.ip_address(raw)
                except ValueError:
                    continue
                score = self.adjust(lower, start, end, base)
                if score > 0.5:
                    yield Candidate("ip", start, end, score, self.name)
