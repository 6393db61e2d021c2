"""Addresses of the pages, the API and the static files."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.staticfiles.views import serve as serve_static
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import include, path, re_path

from postguard.web.api import api
from postguard.web.pages import images, scheduling, tokens, views
from postguard.web.publishing import views as publishing


def static(request: HttpRequest, path: str) -> FileResponse | HttpResponse:
    # `postguard serve` has no front server; the few static files (htmx, CSS)
    # are served from the installed packages. A deployment behind a proxy
    # may serve STATIC_ROOT itself after collectstatic.
    return serve_static(request, path, insecure=True)


urlpatterns = [
    # First: the API is the busiest address, and resolving walks the list in order.
    path("api/", api.urls),
    path("", views.dashboard, name="dashboard"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        views.RequestResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="pages/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ResetPasswordView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="pages/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("invitations/<str:token>", views.accept_invitation, name="accept_invitation"),
    path("queue/", views.queue, name="queue"),
    path("posts/new/", views.compose, name="compose"),
    path("posts/<int:post_id>/", views.post_page, name="post"),
    path("posts/<int:post_id>/edit/", views.edit, name="edit"),
    path("posts/<int:post_id>/submit/", views.submit, name="submit"),
    path("posts/<int:post_id>/review/", views.review, name="review"),
    path("posts/<int:post_id>/comment/", views.comment, name="comment"),
    path("posts/<int:post_id>/archive/", views.archive, name="archive"),
    path("check/", views.personal_check, name="check"),
    path("check/live/", views.live_check, name="live_check"),
    path("check/saved/<int:check_id>/", views.saved_check, name="saved_check"),
    path("check/saved/<int:check_id>/delete/", views.delete_saved_check, name="delete_saved_check"),
    path("rules/", views.rules, name="rules"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export/", views.audit_export, name="audit_export"),
    path("members/", views.members, name="members"),
    path("channels/new/", views.channel_new, name="channel_new"),
    path("channels/<int:channel_id>/", views.channel_page, name="channel"),
    path("channels/<int:channel_id>/members/", views.channel_members, name="channel_members"),
    path("channels/<int:channel_id>/connect/", publishing.connect, name="channel_connect"),
    path("channels/<int:channel_id>/disconnect/", publishing.disconnect, name="channel_disconnect"),
    path("channels/<int:channel_id>/oauth/", publishing.oauth_start, name="oauth_start"),
    path("channels/<int:channel_id>/pause/", publishing.pause, name="channel_pause"),
    path("channels/<int:channel_id>/resume/", publishing.resume, name="channel_resume"),
    path("channels/oauth/callback/", publishing.oauth_callback, name="oauth_callback"),
    path("settings/approval/", views.approval_settings, name="approval_settings"),
    path("settings/time-zone/", scheduling.time_zone, name="time_zone"),
    path("posts/<int:post_id>/reschedule/", scheduling.reschedule, name="reschedule"),
    path("posts/<int:post_id>/images/", images.add_image, name="add_image"),
    path("posts/<int:post_id>/images/<int:image_id>/", images.image, name="post_image"),
    path(
        "posts/<int:post_id>/images/<int:image_id>/remove/",
        images.remove_image,
        name="remove_image",
    ),
    path("org/switch/", views.switch_org, name="switch_org"),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/new/", tokens.create_token, name="create_token"),
    path("account/tokens/<int:token_id>/revoke/", tokens.revoke_token, name="revoke_token"),
    path("", include("postguard.web.inbox.urls")),
    path("", include("postguard.web.communities.urls")),
    path("", include("postguard.web.presence.urls")),
    path("", include("postguard.web.takedown.urls")),
    path("", include("postguard.web.evaluation.urls")),
    re_path(r"^static/(?P<path>.*)$", static),
]
