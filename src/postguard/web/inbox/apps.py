from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "postguard.web.inbox"
    label = "inbox"
    verbose_name = "Inbox, escalation and cases"

    def ready(self) -> None:
        from postguard.web.inbox import jobs  # noqa: F401  (registers the periodic jobs)
