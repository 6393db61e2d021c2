from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "postguard.web.audit"
    label = "audit"
    verbose_name = "Audit record"

    def ready(self) -> None:
        from postguard.web.audit import jobs  # noqa: F401  (registers the periodic checkpoint)
