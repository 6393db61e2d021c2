"""The committee's workspace: a Django project (settings, apps, API, pages).

Nothing here is imported by the engine; the engine CLI configures Django
lazily, only when a web command runs (see :mod:`postguard.web.commands`).
"""
