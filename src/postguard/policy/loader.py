"""Loading and validating policy packs.

A bad pack is refused with ``file:line: reason``, always on one line. A pack
is untrusted input (an organization writes its own), so before PyYAML builds
anything the event stream is screened: no aliases or anchors (a "billion
laughs" pack expands exponentially), no tags beyond plain YAML's (a
``!!python/object`` pack), no nesting deeper than :data:`MAX_PACK_DEPTH` (deep
nesting exhausts the recursion limit) and no number longer than
:data:`MAX_NUMBER_CHARS` characters (int() refuses 4,300 digits, and a
sexagesimal number costs quadratic time). Only then is the node tree (which
knows line numbers) composed and turned into plain data for pydantic with the
safe constructor; a validation error's location is looked up in the node tree.
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
#: The schema nests five levels (rules, a rule, detectors, params, a list);
#: this leaves room for any params a detector could take.
MAX_PACK_DEPTH = 20
#: A plain scalar YAML reads as a number may be at most this long.
MAX_NUMBER_CHARS = 50

_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)
_NUMBER_TAGS = frozenset({"tag:yaml.org,2002:int", "tag:yaml.org,2002:float"})

# libyaml's parser, when PyYAML was built with it, reads the built-in packs
# about three times faster than the pure-Python one (start-up of every
# `postguard check`). A text it refuses is read again by the pure-Python
# parser, so that error messages stay PyYAML's own.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _one_line(text: str) -> str:
    return " ".join(text.split())


class PolicyError(ValueError):
    """A policy pack cannot be used. ``str()`` is one line: file:line: reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = path, line, _one_line(reason)
        shown = path if path.isprintable() else repr(path)
        where = f"{shown}:{line}" if line else shown
        super().__init__(f"{where}: {self.reason}")


@dataclass(frozen=True)
class Pack:
    model: PackModel
    path: str
    #: Line of each rule's id and each override's rule id, for errors that
    #: are only found when packs meet (a rule id defined twice).
    lines: dict[str, int] = field(default_factory=dict, compare=False)

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


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _screen(text: str, path: str) -> None:
    """Refuse what could make composing the pack slow, deep or unsafe.

    Works on PyYAML's event stream, which is produced without recursion and
    without building anything, and stops at the first problem.
    """
    try:
        _screen_events(yaml.parse(text, Loader=_FAST_LOADER), path)
    except yaml.YAMLError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
        _screen_events(yaml.parse(text, Loader=yaml.SafeLoader), path)


def _screen_events(events: Iterable[yaml.Event], path: str) -> None:
    resolver = yaml.resolver.Resolver()
    constructor = yaml.SafeLoader("")
    depth = 0
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise PolicyError(
                path, line, f"aliases (*{event.anchor}) are not allowed in packs; write it out"
            )
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            raise PolicyError(
                path, line, f"anchors (&{event.anchor}) are not allowed in packs; write it out"
            )
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!" and tag not in _PLAIN_TAGS:
            raise PolicyError(
                path, line, f"the tag {_short_tag(tag)} is not allowed in packs (plain data only)"
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_PACK_DEPTH:
                raise PolicyError(path, line, f"nested more than {MAX_PACK_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and tag is None and event.implicit[0]:
            tag = resolver.resolve(  # type: ignore[no-untyped-call]
                yaml.ScalarNode, event.value, (True, False)
            )
            if tag == "tag:yaml.org,2002:str":
                continue
            if tag in _NUMBER_TAGS and len(event.value) > MAX_NUMBER_CHARS:
                raise PolicyError(
                    path,
                    line,
                    f"a number of {len(event.value):,} characters; the limit is {MAX_NUMBER_CHARS}",
                )
            # Build the value now, while its line is known: the constructor
            # later raises a bare ValueError for "2024-13-45".
            node = yaml.ScalarNode(tag, event.value, None, None)
            try:
                constructor.construct_object(node)
            except (ValueError, OverflowError) as exc:
                raise PolicyError(
                    path, line, f"{event.value!r} is not a valid value: {exc}"
                ) from None


def _compose(text: str) -> yaml.Node | None:
    try:
        node: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        if _FAST_LOADER is yaml.SafeLoader:
            raise
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    return node


def _yaml_error(path: str, exc: yaml.YAMLError) -> PolicyError:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        return PolicyError(path, line, f"not valid YAML: {exc.problem or exc.context}")
    return PolicyError(path, None, f"not valid YAML: {exc}")


def parse_pack(text: str, path: str) -> Pack:
    """Parse and validate one pack's YAML text."""
    if len(text) > MAX_PACK_BYTES:
        raise PolicyError(path, None, f"the pack is larger than {MAX_PACK_BYTES:,} characters")
    try:
        _screen(text, path)
        root = _compose(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None
    if root is None:
        raise PolicyError(path, None, "the file is empty")
    if not isinstance(root, yaml.MappingNode):
        raise PolicyError(
            path, root.start_mark.line + 1, "a pack must be a mapping (pack:, rules:)"
        )
    _check_duplicate_keys(root, path)
    try:
        data = yaml.SafeLoader("").construct_document(root)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, exc) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # A value the safe constructor cannot build (a 13th month in a
        # date); PyYAML raises these without a position.
        raise PolicyError(path, None, f"not valid YAML: {exc}") from None
    try:
        model = PackModel.model_validate(data)
    except ValidationError as exc:
        loc, reason = _format_validation_error(exc)
        node = _node_at(root, loc)
        raise PolicyError(path, node.start_mark.line + 1, reason) from None
    pack = Pack(model, path, _rule_lines(root))
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
            except (ValueError, TypeError, OverflowError) as exc:
                # A parameter of the right type but an unusable value that a
                # detector did not anticipate: still the pack's fault.
                node = _node_at(root, ("rules", index, "detectors", dindex))
                raise PolicyError(
                    path,
                    node.start_mark.line + 1,
                    f"rule {rule.id}: detector {ref.name!r} cannot use its params"
                    f" ({type(exc).__name__}: {exc})",
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


def _rule_lines(root: yaml.Node) -> dict[str, int]:
    lines: dict[str, int] = {}
    for section in ("rules", "overrides"):
        node = _node_at(root, (section,))
        if section == "rules" and isinstance(node, yaml.SequenceNode):
            for item in node.value:
                id_node = _node_at(item, ("id",))
                lines.setdefault(str(id_node.value), id_node.start_mark.line + 1)
        elif section == "overrides" and isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                lines.setdefault(f"override:{key_node.value}", key_node.start_mark.line + 1)
    return lines


def load_pack(path: str | Path) -> Pack:
    """Read and validate a pack file."""
    name = str(path)
    try:
        with open(path, "rb") as handle:
            # Read one byte past the limit, never the whole of a huge file.
            blob = handle.read(MAX_PACK_BYTES + 1)
    except OSError as exc:
        raise PolicyError(name, None, f"cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise PolicyError(name, None, f"cannot read: {exc}") from None
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
    if str(directory) == "":
        raise PolicyError("--policy", None, "an empty path is not a policy directory")
    try:
        if folder.is_file():
            return [folder]
        if not folder.is_dir():
            raise PolicyError(str(folder), None, "no such file or directory")
        found = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))
    except OSError as exc:
        raise PolicyError(str(folder), None, f"cannot read: {exc.strerror or exc}") from None
    if not found:
        # A mistyped directory must not quietly leave an organization's rules out.
        raise PolicyError(str(folder), None, "no .yaml or .yml packs in this directory")
    return found


@dataclass
class Policy:
    """A set of packs with their overrides applied: what the engine enforces."""

    packs: list[Pack]
    severity_overrides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        pack_ids: dict[str, str] = {}
        for pack in self.packs:
            if pack.id in pack_ids:
                raise PolicyError(
                    pack.path, None, f"pack {pack.id} is already loaded from {pack_ids[pack.id]}"
                )
            pack_ids[pack.id] = pack.path
            for rule in pack.model.rules:
                if rule.id in seen:
                    raise PolicyError(
                        pack.path,
                        pack.lines.get(rule.id),
                        f"rule id {rule.id} is already defined in {seen[rule.id]}",
                    )
                seen[rule.id] = pack.path
        overrides: dict[str, str] = {}
        for pack in self.packs:
            for rule_id, override in pack.model.overrides.items():
                if rule_id not in seen:
                    raise PolicyError(
                        pack.path,
                        pack.lines.get(f"override:{rule_id}"),
                        f"override names unknown rule {rule_id}",
                    )
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
