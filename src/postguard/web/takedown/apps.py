from django.apps import AppConfig


class TakedownConfig(AppConfig):
    name = "postguard.web.takedown"
    label = "takedown"
    verbose_name = "Taking down past posts"

    def ready(self) -> None:
        from postguard.web.takedown import jobs  # noqa: F401  (registers the periodic jobs)
