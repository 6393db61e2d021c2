from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "postguard.web.pages"
    label = "pages"
    verbose_name = "Web pages"
