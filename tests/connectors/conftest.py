"""The real-PDS fixtures (``pds``, ``association``, ``commenter``, ``app_password``) live
in tests/conftest.py, so that the connector and the publishing tests share one server."""

from __future__ import annotations

from tests.conftest import PDS_DIR, PdsAccount, PdsServer, create_account, in_ci

__all__ = ["PDS_DIR", "PdsAccount", "PdsServer", "create_account", "in_ci"]
