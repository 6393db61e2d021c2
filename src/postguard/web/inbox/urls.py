"""Addresses of the inbox, cases, playbooks, escalation and the inbound webhook."""

from __future__ import annotations

from django.urls import path

from postguard.web.inbox import views

urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/import/", views.import_page, name="inbox_import"),
    path("inbox/<int:item_id>/", views.item_page, name="inbox_item"),
    path("inbox/<int:item_id>/state/", views.item_state, name="inbox_item_state"),
    path("inbox/<int:item_id>/assign/", views.item_assign, name="inbox_item_assign"),
    path("inbox/<int:item_id>/case/", views.item_case, name="inbox_item_case"),
    path("inbox/<int:item_id>/reply/", views.item_reply, name="inbox_item_reply"),
    path("inbox/<int:item_id>/message/", views.item_message, name="inbox_item_message"),
    path("inbox/<int:item_id>/moderate/", views.item_moderate, name="inbox_item_moderate"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path(
        "cases/<int:case_id>/steps/<int:step_id>/done/", views.case_step_done, name="case_step_done"
    ),
    path("cases/<int:case_id>/note/", views.case_note, name="case_note"),
    path("cases/<int:case_id>/close/", views.case_close, name="case_close"),
    path("playbooks/", views.playbooks, name="playbooks"),
    path("playbooks/<str:situation>/", views.playbook_edit, name="playbook_edit"),
    path("escalation/", views.escalation, name="escalation"),
    path("notifications/", views.notification_log, name="notifications"),
    path(
        "notifications/<int:notification_id>/retry/",
        views.notification_retry,
        name="notification_retry",
    ),
    path("channels/<int:channel_id>/webhook/", views.webhook_secret, name="webhook_secret"),
    path("hooks/inbox/<int:channel_id>/", views.webhook, name="inbox_webhook"),
]
