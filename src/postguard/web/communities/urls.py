"""Addresses of the communities' pages, the packs, and the members' public pages."""

from __future__ import annotations

from django.urls import path

from postguard.web.communities import views

urlpatterns = [
    path("communities/", views.community_list, name="communities"),
    path("communities/<int:community_id>/", views.community_page, name="community"),
    path(
        "communities/<int:community_id>/settings/",
        views.community_settings,
        name="community_settings",
    ),
    path("communities/<int:community_id>/staff/", views.community_staff, name="community_staff"),
    path(
        "communities/<int:community_id>/connect/", views.community_connect, name="community_connect"
    ),
    path("communities/<int:community_id>/policy/", views.policy_page, name="community_policy"),
    path(
        "communities/<int:community_id>/policy/publish/",
        views.policy_publish,
        name="community_policy_publish",
    ),
    path("communities/<int:community_id>/queue/", views.queue_page, name="community_queue"),
    path("communities/<int:community_id>/flag/", views.flag, name="community_flag"),
    path(
        "communities/<int:community_id>/members/<int:member_id>/",
        views.member_page,
        name="community_member",
    ),
    path("communities/items/<int:item_id>/", views.item_page, name="community_item"),
    path("communities/items/<int:item_id>/act/", views.item_act, name="community_item_act"),
    path("communities/items/<int:item_id>/close/", views.item_close, name="community_item_close"),
    path(
        "communities/items/<int:item_id>/steps/<int:index>/done/",
        views.item_step,
        name="community_item_step",
    ),
    path(
        "communities/appeals/<int:appeal_id>/decide/",
        views.appeal_decide,
        name="community_appeal_decide",
    ),
    path("packs/", views.pack_list, name="packs"),
    path("packs/<int:pack_id>/enable/", views.pack_enable, name="pack_enable"),
    path("c/appeal/<str:token>/", views.public_appeal, name="community_public_appeal"),
    path("c/<str:token>/", views.public_policy, name="community_public_policy"),
    path("c/<str:token>/report/", views.public_report, name="community_public_report"),
]
