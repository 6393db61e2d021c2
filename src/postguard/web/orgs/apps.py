from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "postguard.web.orgs"
    label = "orgs"
    verbose_name = "Organizations, people and channels"

    def ready(self) -> None:
        from postguard.web.orgs import signals  # noqa: F401  (connects the login receivers)
