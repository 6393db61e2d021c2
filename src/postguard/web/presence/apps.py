from django.apps import AppConfig


class PresenceConfig(AppConfig):
    name = "postguard.web.presence"
    label = "presence"
    verbose_name = "Presence monitoring: watch terms, sources and mentions"

    def ready(self) -> None:
        from postguard.web.presence import jobs  # noqa: F401  (registers the periodic job)
