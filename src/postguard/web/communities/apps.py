from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "postguard.web.communities"
    label = "communities"
    verbose_name = "Online communities under their Community Policy"

    def ready(self) -> None:
        from postguard.web.communities import jobs  # noqa: F401  (registers the periodic jobs)
