"""Pages of the communities: their policy, queue, ladder, appeals and member records, the
uploaded packs, and the public policy, report and appeal pages members reach by link.
Each view validates, calls the services, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from postguard.policy.loader import MAX_PACK_BYTES
from postguard.policy.schema import CATEGORIES, SEVERITIES
from postguard.web.communities import packs
from postguard.web.communities import services as communities
from postguard.web.communities.models import (
    AppealOutcome,
    Detect,
    ItemState,
    Platform,
    SkipTo,
    StaffRole,
    Step,
)
from postguard.web.communities.template import ProvisionData
from postguard.web.errors import Invalid, NotFound
from postguard.web.orgs import services as orgs
from postguard.web.orgs.clients import address_or_blank
from postguard.web.orgs.models import Channel
from postguard.web.pages.views import _org, service_errors

#: Rows per page of the lists (communities, the moderation queue).
PAGE_SIZE = 50


def _int(value: str | None, what: str) -> int:
    if not value or not value.strip().isdigit() or len(value.strip()) > 9:
        raise Invalid(f"The {what} is a whole number.")
    return int(value.strip())


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit() and len(v) < 19]


# --- communities ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def community_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if request.method == "POST":
        created = communities.create_community(
            request.user,
            org,
            name=request.POST.get("name", ""),
            platform=request.POST.get("platform", ""),
            room_id=request.POST.get("room_id", ""),
        )
        messages.success(request, f"{created.name} added, with the template Community Policy.")
        return redirect("community", community_id=created.pk)
    return render(
        request,
        "communities/list.html",
        {
            "page": Paginator(
                communities.visible_communities(request.user, org).order_by("name", "pk"),
                PAGE_SIZE,
            ).get_page(request.GET.get("page")),
            "can_create": orgs.has_role(request.user, org, communities.ORG_MANAGERS),
            "platforms": Platform.choices,
        },
    )


@require_GET
@login_required
@service_errors
def community_page(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    return render(
        request,
        "communities/community.html",
        {
            "community": community,
            "is_admin": communities.is_admin(request.user, community),
            "staff": communities.staff_of(community),
            "people": communities.eligible_staff(community),
            "roles": StaffRole.choices,
            "policy": communities.published_policy(community),
            "draft": communities.draft_policy(community),
            "public_url": communities.public_url(community),
            "open_items": communities.queue(request.user, community).count(),
            "appeals": communities.open_appeals(request.user, community),
            "connected": bool(community.secret),
        },
    )


@require_POST
@login_required
@service_errors
def community_settings(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    post = request.POST
    communities.update_settings(
        request.user,
        community,
        warning_days=_int(post.get("warning_days"), "time a warning counts"),
        suspension_days=_int(post.get("suspension_days"), "length of a suspension"),
        appeal_days=_int(post.get("appeal_days"), "time to appeal"),
        retention_days=_int(post.get("retention_days"), "retention"),
        complaint_template=post.get("complaint_template", ""),
        watched=post.get("watched") == "on",
    )
    messages.success(request, "Settings saved.")
    return redirect("community", community_id=community.pk)


@require_POST
@login_required
@service_errors
def community_staff(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    person = User.objects.filter(pk=_int(request.POST.get("user"), "person")).first()
    if person is None:
        raise Invalid("Choose a person of the organization.")
    communities.set_staff(request.user, community, person, request.POST.get("role", ""))
    messages.success(request, "Staff updated.")
    return redirect("community", community_id=community.pk)


@require_POST
@login_required
@service_errors
def community_connect(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    settings: dict[str, Any] = {}
    for line in request.POST.get("settings", "").splitlines():
        key, sep, value = line.partition("=")
        if sep:
            settings[key.strip()] = value.strip()
    communities.connect(
        request.user, community, {"access_token": request.POST.get("access_token", "")}, settings
    )
    messages.success(request, "Connected. The credentials are stored encrypted.")
    return redirect("community", community_id=community.pk)


# --- the policy ---------------------------------------------------------------------------


def _provisions(post: Any) -> list[ProvisionData]:
    found = []
    for index in range(communities.MAX_PROVISIONS + 1):
        prefix = f"p{index}-"
        if f"{prefix}title" not in post:
            continue
        title = post.get(f"{prefix}title", "").strip()
        if not title:
            continue  # an emptied row is a provision removed
        terms = [t.strip() for t in post.get(f"{prefix}terms", "").splitlines() if t.strip()]
        found.append(
            ProvisionData(
                _int(post.get(f"{prefix}number"), "provision number"),
                title,
                post.get(f"{prefix}text", ""),
                post.get(f"{prefix}category", ""),
                post.get(f"{prefix}detect", ""),
                terms,
                post.get(f"{prefix}severity", "review"),
                post.get(f"{prefix}skip_to", ""),
                post.get(f"{prefix}example_violating", ""),
                post.get(f"{prefix}example_compliant", ""),
            )
        )
    return found


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def policy_page(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    if request.method == "POST":
        communities.save_policy(
            request.user,
            community,
            title=request.POST.get("title", ""),
            preamble=request.POST.get("preamble", ""),
            provisions=_provisions(request.POST),
        )
        messages.success(request, "Draft saved. Publish it when it is ready.")
        return redirect("community_policy", community_id=community.pk)
    draft = communities.draft_policy(community)
    shown = draft or communities.published_policy(community)
    rows = list(shown.provisions.all()) if shown else []
    return render(
        request,
        "communities/policy.html",
        {
            "community": community,
            "is_admin": communities.is_admin(request.user, community),
            "draft": draft,
            "shown": shown,
            "rows": rows,
            "next_number": (max((p.number for p in rows), default=0) + 1),
            "blank_index": len(rows),
            "versions": communities.policy_versions(request.user, community),
            "categories": sorted(CATEGORIES),
            "detects": Detect.choices,
            "severities": SEVERITIES,
            "skips": SkipTo.choices,
        },
    )


@require_POST
@login_required
@service_errors
def policy_publish(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    policy = communities.publish_policy(request.user, community)
    if policy.pin_instructions:
        messages.warning(request, f"Published. Pin it by hand: {policy.pin_instructions}")
    else:
        messages.success(request, f"Version {policy.version} published and pinned in the room.")
    return redirect("community_policy", community_id=community.pk)


# --- the queue ----------------------------------------------------------------------------


@require_GET
@login_required
@service_errors
def queue_page(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    state = request.GET.get("state", "open")
    return render(
        request,
        "communities/queue.html",
        {
            "community": community,
            "page": Paginator(
                communities.queue(request.user, community, state), PAGE_SIZE
            ).get_page(request.GET.get("page")),
            "state": state,
            "states": ItemState.choices,
        },
    )


@require_POST
@login_required
@service_errors
def flag(request: HttpRequest, community_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    item = communities.flag(
        request.user,
        community,
        reason=request.POST.get("reason", ""),
        message_ref=request.POST.get("message", ""),
        member_id=request.POST.get("member", ""),
        text=request.POST.get("text", ""),
    )
    return redirect("community_item", item_id=item.pk)


@require_GET
@login_required
@service_errors
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    item = communities.get_item(request.user, item_id)
    policy = communities.published_policy(item.community)
    proposed = ""
    if item.member is not None:
        proposed = communities.propose(item.member, None)
    return render(
        request,
        "communities/item.html",
        {
            "item": item,
            "community": item.community,
            "provisions": policy.provisions.all() if policy else [],
            "steps": Step.choices,
            "proposed": proposed,
            "sanctions": item.sanctions.all(),
        },
    )


@require_POST
@login_required
@service_errors
def item_act(request: HttpRequest, item_id: int) -> HttpResponse:
    item = communities.get_item(request.user, item_id)
    days = request.POST.get("days", "").strip()
    sanction = communities.act(
        request.user,
        item.community,
        item=item,
        step=request.POST.get("step", ""),
        provision_number=_int(request.POST.get("provision"), "provision"),
        reason=request.POST.get("reason", ""),
        remove_message=request.POST.get("remove_message") == "on",
        days=_int(days, "number of days") if days else None,
    )
    undone = [a["detail"] for a in sanction.applied if not a["done"]]
    if undone:
        messages.warning(request, "Recorded. To do by hand: " + " ".join(undone))
    else:
        messages.success(request, "Done on the platform, and the member was told.")
    return redirect("community_item", item_id=item.pk)


@require_POST
@login_required
@service_errors
def item_close(request: HttpRequest, item_id: int) -> HttpResponse:
    communities.close_item(request.user, item_id, request.POST.get("outcome", ""))
    return redirect("community_item", item_id=item_id)


@require_POST
@login_required
@service_errors
def item_step(request: HttpRequest, item_id: int, index: int) -> HttpResponse:
    communities.complete_step(request.user, item_id, index)
    return redirect("community_item", item_id=item_id)


@require_GET
@login_required
@service_errors
def member_page(request: HttpRequest, community_id: int, member_id: int) -> HttpResponse:
    community = communities.get_community(request.user, community_id)
    found = communities.member_record(request.user, community, member_id)
    return render(
        request,
        "communities/member.html",
        {"community": community, "record": found, "outcomes": AppealOutcome.choices},
    )


@require_POST
@login_required
@service_errors
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = communities.decide_appeal(
        request.user,
        appeal_id,
        request.POST.get("outcome", ""),
        request.POST.get("reasons", ""),
    )
    sanction = appeal.sanction
    messages.success(request, "Appeal decided; the member was told.")
    return redirect(
        "community_member", community_id=sanction.community_id, member_id=sanction.member_id
    )


# --- packs --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@service_errors
def pack_list(request: HttpRequest) -> HttpResponse:
    org = _org(request)
    if request.method == "POST":
        upload = request.FILES.get("pack")
        if upload is None:
            raise Invalid("Choose a YAML file to upload.")
        found = packs.upload(
            request.user, org, upload.name or "pack.yaml", upload.read(MAX_PACK_BYTES + 1)
        )
        messages.success(request, f"Pack {found.pack_id} uploaded; enable it where it applies.")
        return redirect("packs")
    return render(
        request,
        "communities/packs.html",
        {
            "packs": packs.org_packs(request.user, org),
            "channels": Channel.objects.filter(org=org),
            "communities": communities.visible_communities(request.user, org),
        },
    )


@require_POST
@login_required
@service_errors
def pack_enable(request: HttpRequest, pack_id: int) -> HttpResponse:
    packs.set_enabled(
        request.user,
        _org(request),
        pack_id,
        channels=_ids(request.POST.getlist("channels")),
        communities=_ids(request.POST.getlist("communities")),
    )
    messages.success(request, "Saved where the pack applies.")
    return redirect("packs")


# --- public pages (members, no sign-in) ---------------------------------------------------


@require_GET
@service_errors
def public_policy(request: HttpRequest, token: str) -> HttpResponse:
    community = communities.by_token(token)
    policy = communities.published_policy(community)
    if policy is None:
        raise NotFound("This community has not published its Community Policy yet.")
    return render(
        request,
        "communities/public_policy.html",
        {"community": community, "policy": policy, "provisions": policy.provisions.all()},
    )


@require_http_methods(["GET", "POST"])
@service_errors
def public_report(request: HttpRequest, token: str) -> HttpResponse:
    community = communities.by_token(token)
    if request.method == "POST":
        received = communities.report_by_member(
            token,
            text=request.POST.get("text", ""),
            message_ref=request.POST.get("message", ""),
            reporter=request.POST.get("name", ""),
            contact=request.POST.get("email", ""),
            address=address_or_blank(request),
        )
        return render(
            request,
            "communities/public_thanks.html",
            {"community": community, "reply": received.reply},
        )
    return render(request, "communities/public_report.html", {"community": community})


@require_http_methods(["GET", "POST"])
@service_errors
def public_appeal(request: HttpRequest, token: str) -> HttpResponse:
    sanction = communities.sanction_by_token(token)
    if request.method == "POST":
        communities.appeal_by_member(token, request.POST.get("text", ""))
        return render(
            request,
            "communities/public_thanks.html",
            {
                "community": sanction.community,
                "reply": "Your appeal was received. A moderator who did not take the decision "
                "will decide it, and you will be told the outcome and the reasons.",
            },
        )
    return render(
        request,
        "communities/public_appeal.html",
        {
            "sanction": sanction,
            "community": sanction.community,
            "deadline": communities.appeal_deadline(sanction),
            "appealed": hasattr(sanction, "appeal"),
        },
    )
