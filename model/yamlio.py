"""Strict YAML reading shared by the data files and scenario files.

`yaml.safe_load` semantics, plus: no aliases (no alias bombs), no duplicate keys, one document,
a size cap, UTF-8 only. Every failure is an `InputError` with located problems, never a
traceback.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

import yaml


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (`field`, dotted) and what (`message`).

    `code` and `params` let a user interface render the message in another language.
    """

    field: str
    message: str
    code: str = "invalid"
    params: dict = field(default_factory=dict, compare=False)

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InputError(ValueError):
    """Raised when an input file or parameter is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        super().__init__("; ".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        prefix = f"{self.source}: " if self.source else ""
        return [f"{prefix}{p}" for p in self.problems]


def _core_schema_resolvers() -> dict:
    """SafeLoader's implicit types with YAML 1.2 core-schema scalars: true/false only (not yes/no/on/off),
    decimal integers (no octal or base-60), `1e3` a number, and no implicit dates."""
    replaced = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
                "tag:yaml.org,2002:timestamp"}
    resolvers = {first: [(tag, regexp) for tag, regexp in entries if tag not in replaced]
                 for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    core = [("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF"),
            ("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), "-+0123456789"),
            ("tag:yaml.org,2002:float",
             re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
                        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"), "-+0123456789."),
            ]
    for tag, regexp, firsts in core:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, regexp))
    return resolvers


MAX_INTEGER_DIGITS = 30


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys and reads scalars as YAML 1.2 does."""

    yaml_implicit_resolvers = _core_schema_resolvers()

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)

    def construct_object(self, node, deep=False):
        """Explicit tags (`!!float abc`, `!!timestamp x`, `!!bool maybe`) make PyYAML's constructors raise
        plain Python errors; report them at the node like any other YAML problem. Always deep, so that a
        collection is finished here rather than later in PyYAML's generators, outside this guard."""
        try:
            return super().construct_object(node, deep=True)
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as error:
            if isinstance(error, yaml.YAMLError):
                raise
            shown = node.value if isinstance(node.value, str) else node.id
            shown = repr(shown if len(shown) <= 20 else shown[:17] + "...")
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.tag.rsplit(':', 1)[-1]} value {shown} cannot be read", node.start_mark
            ) from None

    def construct_yaml_int(self, node):
        digits = self.construct_scalar(node)
        if len(digits) > MAX_INTEGER_DIGITS:  # int() of a huge string is slow, and refused past 4,300 digits
            raise yaml.constructor.ConstructorError(
                None, None, f"a whole number may have at most {MAX_INTEGER_DIGITS} digits, got {len(digits):,}",
                node.start_mark)
        return int(digits)  # decimal only: "02030" is 2030, not octal 1048

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)  # `{a} in seen` works (as a frozenset) but a set cannot be a key
                duplicate = key in seen
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be text or a number", key_node.start_mark
                ) from None
            if duplicate:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _location(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "file"


def parse_yaml(raw: bytes | str, *, max_bytes: int) -> object:
    """Parse one YAML document strictly; raise InputError naming the line and the problem."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise InputError([Problem("file", f"is {len(data):,} bytes, more than the {max_bytes:,} allowed",
                                  "too_large", {"size": len(data), "limit": max_bytes})])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem("file", f"is not UTF-8 text (byte {error.start})", "not_utf8",
                                  {"position": error.start})]) from None
    if not text.strip():
        raise InputError([Problem("file", "is empty", "empty")])
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        if isinstance(error, yaml.composer.ComposerError) and "single document" in str(error):
            problem = "holds more than one YAML document"
        raise InputError([Problem(_location(error), f"not valid YAML: {problem}", "yaml_syntax",
                                  {"detail": problem})]) from None
    except RecursionError:
        raise InputError([Problem("file", "is nested too deeply", "too_deep")]) from None


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (set, frozenset)):
        return f"a set of {len(value)} items"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"the date {value.isoformat()} (quote it to use it as text)"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def pydantic_problems(error, prefix: str = "") -> list[Problem]:
    """Turn a pydantic ValidationError into Problems with plain messages."""
    problems = []
    for item in error.errors(include_url=False):
        field_path = ".".join(str(part) for part in (*([prefix] if prefix else []), *item["loc"]))
        kind, value, ctx = item["type"], item.get("input"), item.get("ctx") or {}
        if kind == "missing":
            problems.append(Problem(field_path, "is required", "missing"))
        elif kind == "extra_forbidden":
            problems.append(Problem(field_path, "is not a known field", "unknown_field"))
        elif kind == "finite_number":
            problems.append(Problem(field_path, f"must be a finite number, got {_describe(value)}",
                                    "not_finite", {"value": _describe(value)}))
        elif kind in ("float_type", "float_parsing", "int_type", "int_parsing", "int_from_float"):
            expected = "a whole number" if kind.startswith("int") else "a number"
            problems.append(Problem(field_path, f"must be {expected}, got {_describe(value)}",
                                    "wrong_type", {"expected": expected, "value": _describe(value)}))
        elif kind in ("string_type", "dict_type", "model_type", "list_type"):
            expected = {"string_type": "text", "list_type": "a list"}.get(kind, "a mapping")
            problems.append(Problem(field_path, f"must be {expected}, got {_describe(value)}",
                                    "wrong_type", {"expected": expected, "value": _describe(value)}))
        elif kind == "literal_error":
            problems.append(Problem(field_path, f"must be one of {ctx.get('expected')}, got {_describe(value)}",
                                    "not_allowed", {"allowed": str(ctx.get("expected")), "value": _describe(value)}))
        elif kind == "value_error":
            message = str(ctx.get("error", item["msg"]))
            problems.append(Problem(field_path, message, "invalid", {"detail": message}))
        else:  # our own PydanticCustomError kinds carry their message and values
            problems.append(Problem(field_path, item["msg"][:1].lower() + item["msg"][1:], kind, dict(ctx)))
    return problems
