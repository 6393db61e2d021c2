from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "postguard.web.audit"
    label = "audit"
    verbose_name = "Audit record"
