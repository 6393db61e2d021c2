"""Addresses of the evaluation report and what the committee sets for it."""

from __future__ import annotations

from django.urls import path

from postguard.web.evaluation import views

urlpatterns = [
    path("report/", views.report, name="evaluation_report"),
    path("report/export/", views.export, name="evaluation_export"),
    path("report/setup/", views.setup, name="evaluation_setup"),
    path("report/setup/plan/", views.set_plan, name="evaluation_plan"),
    path("report/setup/target/", views.set_target, name="evaluation_target"),
    path("report/setup/schedule/", views.set_schedule, name="evaluation_schedule"),
    path("report/campaigns/", views.create_campaign, name="evaluation_campaign"),
    path(
        "report/campaigns/<int:campaign_id>/import/",
        views.import_counts,
        name="evaluation_import",
    ),
]
