"""Addresses of presence monitoring's pages."""

from __future__ import annotations

from django.urls import path

from postguard.web.presence import views

urlpatterns = [
    path("presence/", views.watch, name="presence"),
    path("presence/terms/<int:term_id>/", views.term, name="presence_term"),
    path("presence/sources/<int:source_id>/", views.source, name="presence_source"),
    path("presence/mentions/", views.mentions, name="presence_mentions"),
    path("presence/mine/", views.mine, name="my_presence"),
]
