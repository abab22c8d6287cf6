"""The JSON Schemas of the content files, loaded once: what `check` and the editor both take a field to be.

Each content file type has a schema in ``actionplan/content/schemas/`` (JSON Schema 2020-12, written with only the keywords
that mean the same in draft 7, which the VS Code YAML extension implements). `check` takes from them which fields
each mapping may have, which are required, what each holds (text, a date, a zh/en pair, true/false, a whole number,
a list), the patterns ids follow, and the titles and examples its hints quote. What a schema cannot say stays in
code: an agency id must be in agencies.yaml, a measure in its plan, a file name must agree with its fields
(corpus.py, validate.py).

The schemas keep two conventions the readers rely on, and tests/test_schema.py holds them to: an optional field
accepts null (``remarks:`` with nothing after it is left out, as `check` has always read it) and a required one
does not; and beside a ``$ref`` stand only annotations (title, description, examples…), so merging the referenced
definition into the field is exact.
"""
from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources

SCHEMA_NAMES = ("site", "strings", "agencies", "plan", "outcome", "outcome-en", "whitepaper", "wp-response",
                "wp-response-en", "document")
"""Every content file type, as its schema file is named: ``actionplan/content/schemas/<name>.schema.json``."""


@functools.cache
def load_schema(name: str) -> dict:
    """Return the parsed schema of one content file type (``site``, ``outcome-en``…)."""
    path = resources.files("actionplan.content") / "schemas" / f"{name}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Return a schema pattern compiled for Python: ASCII digits and letters only (``３`` is no digit), and ``$`` as
    the very end of the text, as in ECMA-262, the schemas' dialect (Python's ``$`` also matches before a final
    newline)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def resolve(node: dict, root: dict) -> dict:
    """Return ``node`` with the local definition its ``$ref`` names merged in; the node's own keywords stand."""
    ref = node.get("$ref")
    if ref is None:
        return node
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are used in the schemas, not {ref!r}")
    target = root
    for part in ref[2:].split("/"):
        target = target[part]
    return {**resolve(target, root), **{key: value for key, value in node.items() if key != "$ref"}}


def _types(schema: dict) -> frozenset[str]:
    declared = schema.get("type", ())
    return frozenset([declared] if isinstance(declared, str) else declared)


@dataclass(frozen=True, eq=False)
class Field:
    """One field of a mapping, as its schema describes it."""

    name: str
    schema: dict
    """The field's schema, with its ``$ref`` resolved."""
    root: dict
    """The whole schema file, to resolve references inside the field."""
    required: bool

    @property
    def nullable(self) -> bool:
        """Return whether the field may be written with no value (``note:``), which reads as leaving it out."""
        return "null" in _types(self.schema)

    @property
    def kind(self) -> str:
        """Return what the field holds: text, date, bilingual, boolean, integer, texts (a list of texts), list (of
        mappings) or mapping."""
        types = _types(self.schema) - {"null"}
        if types == {"array"}:
            items = resolve(self.schema.get("items", {}), self.root)
            return "texts" if _types(items) == {"string"} else "list"
        if types == {"object"}:
            return "bilingual" if set(self.schema.get("properties", ())) == {"zh", "en"} else "mapping"
        if types == {"string"}:
            return "date" if self.schema.get("format") == "date" else "text"
        if types in ({"boolean"}, {"integer"}):
            return next(iter(types))
        raise ValueError(f"the schema of \"{self.name}\" declares no type the readers know: {sorted(types)}")

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """Return the pattern a text must match, compiled for Python, or None."""
        pattern = self.schema.get("pattern")
        return compile_pattern(pattern) if pattern is not None else None

    @property
    def example(self) -> object | None:
        """Return the first example the schema gives, or None."""
        examples = self.schema.get("examples") or [None]
        return examples[0]

    @property
    def default(self) -> object | None:
        """Return the value a missing field stands for, or None."""
        return self.schema.get("default")

    def title(self, lang: str) -> str:
        """Return the field's name for editors in ``lang`` (zh or en)."""
        return self.schema["x-title"][lang]

    def description(self, lang: str) -> str:
        """Return what to write in the field, in ``lang`` (zh or en)."""
        return self.schema["x-description"][lang]


@dataclass(frozen=True, eq=False)
class Shape:
    """The fields one mapping of a content file may have, as its schema says."""

    schema: dict
    """The mapping's schema, with its ``$ref`` resolved."""
    root: dict

    @property
    def names(self) -> tuple[str, ...]:
        """Return the names of the fields the mapping may have, in the schema's order."""
        return tuple(self.schema.get("properties", ()))

    @property
    def required(self) -> frozenset[str]:
        """Return the names of the fields the mapping must have."""
        return frozenset(self.schema.get("required", ()))

    def field(self, name: str) -> Field:
        """Return one field; a name the schema lists under no property is a field of ``each`` (strings.yaml)."""
        properties = self.schema.get("properties", {})
        if name in properties:
            return Field(name, resolve(properties[name], self.root), self.root, name in self.required)
        extra = self.schema.get("additionalProperties")
        if not isinstance(extra, dict):
            raise KeyError(f"the schema has no field \"{name}\"")
        each = resolve(extra, self.root)
        return Field(name, each, self.root, "null" not in _types(each))

    def inner(self, name: str) -> "Shape":
        """Return the shape of the mapping a field holds, or of each item of the list it holds."""
        field = self.field(name)
        schema = resolve(field.schema["items"], self.root) if "array" in _types(field.schema) else field.schema
        return Shape(schema, self.root)

    @property
    def each(self) -> "Shape":
        """Return the shape of every value of a mapping whose keys are free (strings.yaml)."""
        return Shape(resolve(self.schema["additionalProperties"], self.root), self.root)


@functools.cache
def shape(name: str, *path: str) -> Shape:
    """Return the shape of a content file type's top mapping, or of a mapping inside it, named by the fields that
    lead to it: ``shape("plan", "goals", "strategies")`` is each strategy of each goal."""
    root = load_schema(name)
    found = Shape(root, root)
    for step in path:
        found = found.inner(step)
    return found
