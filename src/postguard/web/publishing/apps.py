from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "postguard.web.publishing"
    label = "publishing"
    verbose_name = "Publishing to the networks"

    def ready(self) -> None:
        from postguard.web.publishing import jobs  # noqa: F401  (registers the periodic jobs)
