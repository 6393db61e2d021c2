"""Pages for a post's images: add one (the author), remove one (the author), and see
one (whoever may see the post; never a public address)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from postguard.web.errors import ServiceError
from postguard.web.pages import forms
from postguard.web.pages.views import service_errors
from postguard.web.workflow import media
from postguard.web.workflow import services as workflow


@require_POST
@login_required
@service_errors
def add_image(request: HttpRequest, post_id: int) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    form = forms.ImageFields(request.POST, request.FILES)
    upload = form.upload() if form.is_valid() else None
    if upload is None:
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems) or "Choose an image file to add.")
        return redirect("edit", post_id=post.pk)
    try:
        media.add_image(request.user, post, upload)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, "Image added and checked; the post is a new revision.")
    return redirect("edit", post_id=post.pk)


@require_POST
@login_required
@service_errors
def remove_image(request: HttpRequest, post_id: int, image_id: int) -> HttpResponse:
    post = workflow.get_post(request.user, post_id)
    try:
        media.remove_image(request.user, post, image_id)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, str(exc))
    else:
        messages.success(request, "Image removed; the post is a new revision.")
    return redirect("edit", post_id=post.pk)


@require_GET
@login_required
@service_errors
def image(request: HttpRequest, post_id: int, image_id: int) -> HttpResponse:
    found, data = media.get_image(request.user, post_id, image_id)
    response = HttpResponse(data, content_type=found.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = f'inline; filename="image-{found.pk}"'
    return response
