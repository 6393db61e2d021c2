"""Errors raised by the services; views and the API map them to status codes."""

from __future__ import annotations


class ServiceError(Exception):
    """A request the services refuse; ``str(exc)`` is shown to the person."""

    status = 400


class Invalid(ServiceError):
    """The input is unusable (empty post, schedule in the past, ...)."""

    status = 400


class NotAllowed(ServiceError):
    """The person may not do this; the message says who can."""

    status = 403


class NotFound(ServiceError):
    """No such object, or one the person may not see (indistinguishable on purpose)."""

    status = 404


class Conflict(ServiceError):
    """The object is not in a state that allows this (approving a draft, ...)."""

    status = 409
