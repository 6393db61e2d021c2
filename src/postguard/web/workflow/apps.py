from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "postguard.web.workflow"
    label = "workflow"
    verbose_name = "Posts, reviews and approval"
