from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "postguard.web.evaluation"
    label = "evaluation"
    verbose_name = "Monitoring and evaluation"

    def ready(self) -> None:
        from postguard.web.evaluation import jobs  # noqa: F401  (registers the periodic job)
