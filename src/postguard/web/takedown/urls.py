"""Addresses of the take-down pages."""

from __future__ import annotations

from django.urls import path

from postguard.web.takedown import views

urlpatterns = [
    path("archive/", views.archive_index, name="archive_index"),
    path("archive/<int:channel_id>/", views.archive_page, name="archive"),
    path("archive/<int:channel_id>/import/", views.archive_import, name="archive_import"),
    path("takedowns/", views.takedown_list, name="takedowns"),
    path("takedowns/<int:takedown_id>/decide/", views.takedown_decide, name="takedown_decide"),
    path("posts/<int:post_id>/takedown/", views.post_takedown, name="post_takedown"),
]
