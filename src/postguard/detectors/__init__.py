"""Detectors: one module per family, registered in :mod:`postguard.detectors.registry`."""

from postguard.detectors.base import Detector, DetectorConfigError, Document, Hit

__all__ = ["Detector", "DetectorConfigError", "Document", "Hit"]
