"""Employer and community policy packs uploaded from the web, and the engines that use them.

An uploaded pack is validated by the same loader as the CLI's ``--policy`` packs,
together with the built-in ones (so a rule id that clashes is refused too), and the
refusal is the loader's ``file:line: reason``. A pack is enabled per channel (the
workflow checks that channel's posts with it) or per community (its messages).
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet

from postguard.engine import Engine, default_engine
from postguard.policy.loader import MAX_PACK_BYTES, Pack, Policy, PolicyError, parse_pack
from postguard.web.audit.services import record
from postguard.web.communities.models import Community, OrgPack
from postguard.web.errors import Invalid, NotFound
from postguard.web.orgs import services as orgs
from postguard.web.orgs.models import Channel, Organization, Role

AnyUser = User | AnonymousUser
#: Who may upload packs and enable them (the organization's administrators).
PACK_MANAGERS = frozenset({Role.ADMIN})


def org_packs(user: AnyUser, org: Organization) -> QuerySet[OrgPack]:
    orgs.require_role(user, org, PACK_MANAGERS, "manage policy packs")
    return OrgPack.objects.filter(org=org).prefetch_related("channels", "communities")


def validate(text: str, filename: str) -> Pack:
    """The pack, or Invalid with the loader's one-line ``file:line: reason``."""
    name = (filename or "pack.yaml").replace("\n", " ")[:200]
    try:
        pack = parse_pack(text, name)
        Policy([*default_engine().policy.packs, pack])
    except PolicyError as exc:
        raise Invalid(str(exc)) from None
    if pack.id.startswith("community-"):
        raise Invalid(f"{name}: pack ids starting with community- are kept for Community Policies")
    return pack


def upload(user: AnyUser, org: Organization, filename: str, data: bytes) -> OrgPack:
    orgs.require_role(user, org, PACK_MANAGERS, "upload policy packs")
    if len(data) > MAX_PACK_BYTES:
        raise Invalid(f"{filename}: the file is larger than {MAX_PACK_BYTES:,} bytes")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Invalid(f"{filename}:{line}: not valid UTF-8") from None
    pack = validate(text, filename)
    with transaction.atomic():
        found, created = OrgPack.objects.update_or_create(
            org=org,
            pack_id=pack.id,
            defaults={
                "title": pack.model.title[:300],
                "filename": filename[:200],
                "text": text,
                "uploaded_by": user if isinstance(user, User) else None,
            },
        )
        record(
            "pack.upload" if created else "pack.replace",
            actor=user,
            org=org,
            obj=found,
            after={"pack": pack.id, "rules": [r.id for r in pack.model.rules]},
        )
    engine_for_packs.cache_clear()
    return found


def set_enabled(
    user: AnyUser,
    org: Organization,
    pack_pk: int,
    *,
    channels: list[int],
    communities: list[int],
) -> OrgPack:
    orgs.require_role(user, org, PACK_MANAGERS, "enable policy packs")
    found = OrgPack.objects.filter(org=org, pk=pack_pk).first()
    if found is None:
        raise NotFound(f"No pack {pack_pk}.")
    chosen_channels = list(Channel.objects.filter(org=org, pk__in=channels))
    chosen_communities = list(Community.objects.filter(org=org, pk__in=communities))
    if len(chosen_channels) != len(set(channels)) or len(chosen_communities) != len(
        set(communities)
    ):
        raise Invalid("Choose channels and communities of this organization.")
    with transaction.atomic():
        found.channels.set(chosen_channels)
        found.communities.set(chosen_communities)
        record(
            "pack.enable",
            actor=user,
            org=org,
            obj=found,
            after={
                "channels": sorted(c.pk for c in chosen_channels),
                "communities": sorted(c.pk for c in chosen_communities),
            },
        )
    return found


@lru_cache(maxsize=64)
def engine_for_packs(texts: tuple[tuple[str, str], ...]) -> Engine:
    """The built-in packs plus these (filename, YAML) packs; built once per set."""
    extra = [parse_pack(text, name) for name, text in texts]
    return Engine(Policy([*default_engine().policy.packs, *extra]))


def _texts(query: QuerySet[OrgPack]) -> tuple[tuple[str, str], ...]:
    return tuple((p.filename or p.pack_id, p.text) for p in query.order_by("pack_id"))


def engine_for_channel(channel: Channel) -> Engine:
    """What checks a channel's posts: the built-in packs and the packs enabled on it."""
    texts = _texts(OrgPack.objects.filter(channels=channel))
    return engine_for_packs(texts) if texts else default_engine()


def engine_with(community: Community, extra: tuple[tuple[str, str], ...]) -> Engine:
    """The built-in packs, the packs enabled on the community, and ``extra`` (its policy)."""
    return engine_for_packs(_texts(OrgPack.objects.filter(communities=community)) + extra)
