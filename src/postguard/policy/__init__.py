"""Policy packs: codes of conduct as data (YAML), validated on load."""

from postguard.policy.loader import Pack, Policy, PolicyError, load_pack, load_policy
from postguard.policy.schema import CATEGORIES, SEVERITIES, Rule

__all__ = [
    "CATEGORIES",
    "SEVERITIES",
    "Pack",
    "Policy",
    "PolicyError",
    "Rule",
    "load_pack",
    "load_policy",
]
