"""Loading and validating policy packs.

A bad pack is refused with ``file:line: reason``. YAML is parsed twice: once
into a node tree (which knows line numbers) and once into plain data for
pydantic; a validation error's location is then looked up in the node tree.
Detector parameters are checked at load time by building the detectors, so a
typo in a pack fails when the pack loads, not when a post is checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from postguard.detectors.base import Detector, DetectorConfigError
from postguard.detectors.registry import UnknownDetectorError, detector_class
from postguard.policy.schema import SEVERITY_RANK, PackModel, Rule

MAX_PACK_BYTES = 2_000_000


class PolicyError(ValueError):
    """A policy pack cannot be used. ``str()`` is one line: file:line: reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Pack:
    model: PackModel
    path: str

    @property
    def id(self) -> str:
        return self.model.pack


def _node_at(node: yaml.Node, path: Sequence[str | int]) -> yaml.Node:
    """The deepest node along ``path`` (a pydantic error location)."""
    current = node
    for key in path:
        if isinstance(current, yaml.MappingNode):
            for key_node, value_node in current.value:
                if key_node.value == key:
                    current = value_node
                    break
            else:
                return current
        elif isinstance(current, yaml.SequenceNode) and isinstance(key, int):
            if 0 <= key < len(current.value):
                current = current.value[key]
            else:
                return current
        else:
            return current
    return current


def _check_duplicate_keys(node: yaml.Node, path: str) -> None:
    # PyYAML silently keeps the last of two equal keys; in a policy that
    # would hide a rule's real severity, so it is an error.
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                raise PolicyError(
                    path,
                    key_node.start_mark.line + 1,
                    f"key {key!r} appears twice (first on line {seen[key]})",
                )
            seen[key] = key_node.start_mark.line + 1
            _check_duplicate_keys(value_node, path)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, path)


def _format_validation_error(exc: ValidationError) -> tuple[tuple[str | int, ...], str]:
    first = exc.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    where = ".".join(str(p) for p in loc)
    message = first["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if first["type"] == "extra_forbidden":
        message = f"unknown field {loc[-1]!r}"
    elif first["type"] == "missing":
        message = f"missing field {loc[-1]!r}"
    return loc, f"{where}: {message}" if where else message


def parse_pack(text: str, path: str) -> Pack:
    """Parse and validate one pack's YAML text."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise PolicyError(path, line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise PolicyError(path, None, f"not valid YAML: {exc}") from None
    if root is None:
        raise PolicyError(path, None, "the file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise PolicyError(
            path, root.start_mark.line + 1, "a pack must be a mapping (pack:, rules:)"
        )
    _check_duplicate_keys(root, path)
    data = yaml.safe_load(text)
    try:
        model = PackModel.model_validate(data)
    except ValidationError as exc:
        loc, reason = _format_validation_error(exc)
        node = _node_at(root, loc)
        raise PolicyError(path, node.start_mark.line + 1, reason) from None
    pack = Pack(model, path)
    for index, rule in enumerate(model.rules):
        for dindex, ref in enumerate(rule.detectors):
            try:
                cls = detector_class(ref.name)
                cls(**ref.params)
            except (UnknownDetectorError, DetectorConfigError) as exc:
                node = _node_at(root, ("rules", index, "detectors", dindex))
                raise PolicyError(
                    path, node.start_mark.line + 1, f"rule {rule.id}: {exc}"
                ) from None
            if "*" not in cls.categories and rule.category not in cls.categories:
                node = _node_at(root, ("rules", index, "category"))
                raise PolicyError(
                    path,
                    node.start_mark.line + 1,
                    f"rule {rule.id}: detector {ref.name!r} reports"
                    f" {', '.join(sorted(cls.categories))}, not {rule.category}",
                )
    return pack


def load_pack(path: str | Path) -> Pack:
    """Read and validate a pack file."""
    name = str(path)
    try:
        blob = Path(path).read_bytes()
    except OSError as exc:
        raise PolicyError(name, None, f"cannot read: {exc.strerror or exc}") from None
    if len(blob) > MAX_PACK_BYTES:
        raise PolicyError(name, None, f"the file is larger than {MAX_PACK_BYTES:,} bytes")
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        raise PolicyError(name, line, "not valid UTF-8") from None
    return parse_pack(text, name)


def builtin_pack_paths() -> list[Path]:
    folder = resources.files("postguard.policy") / "packs"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith((".yaml", ".yml")))


def pack_paths_in(directory: str | Path) -> list[Path]:
    folder = Path(directory)
    if folder.is_file():
        return [folder]
    if not folder.is_dir():
        raise PolicyError(str(folder), None, "no such file or directory")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


@dataclass
class Policy:
    """A set of packs with their overrides applied: what the engine enforces."""

    packs: list[Pack]
    severity_overrides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for pack in self.packs:
            for rule in pack.model.rules:
                if rule.id in seen:
                    raise PolicyError(
                        pack.path, None, f"rule id {rule.id} is already defined in {seen[rule.id]}"
                    )
                seen[rule.id] = pack.path
        overrides: dict[str, str] = {}
        for pack in self.packs:
            for rule_id, override in pack.model.overrides.items():
                if rule_id not in seen:
                    raise PolicyError(pack.path, None, f"override names unknown rule {rule_id}")
                overrides[rule_id] = override.severity
        for rule_id, severity in self.severity_overrides.items():
            if rule_id not in seen:
                raise PolicyError("--severity", None, f"unknown rule {rule_id}")
            if severity != "off" and severity not in SEVERITY_RANK:
                raise PolicyError("--severity", None, f"unknown severity {severity!r}")
        overrides.update(self.severity_overrides)
        self._effective = overrides

    def rules(self) -> Iterable[tuple[Pack, Rule, str]]:
        """(pack, rule, effective severity) for every rule that is not switched off."""
        for pack in self.packs:
            for rule in pack.model.rules:
                severity = self._effective.get(rule.id, rule.severity)
                if severity != "off":
                    yield pack, rule, severity

    def find_rule(self, rule_id: str) -> tuple[Pack, Rule] | None:
        wanted = rule_id.casefold()
        for pack in self.packs:
            for rule in pack.model.rules:
                if rule.id.casefold() == wanted:
                    return pack, rule
        return None


def load_policy(
    extra: Iterable[str | Path] = (),
    *,
    builtin: bool = True,
    severity_overrides: dict[str, str] | None = None,
) -> Policy:
    """The built-in packs plus every pack in the ``extra`` files or directories."""
    paths: list[Path] = builtin_pack_paths() if builtin else []
    for item in extra:
        paths.extend(pack_paths_in(item))
    if not paths:
        raise PolicyError("policy", None, "no policy packs to load")
    return Policy([load_pack(p) for p in paths], dict(severity_overrides or {}))


def make_detector(name: str, params: dict[str, Any]) -> Detector:
    return detector_class(name)(**params)
