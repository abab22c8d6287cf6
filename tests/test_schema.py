"""The content files' JSON Schemas (actionplan/content/schemas/) and `check` agree.

Every shipped content file is valid under its schema (checked with the `jsonschema` library, independently of the
code); every change to a file that a schema refuses — a required field dropped or left empty, an unknown field, a
value of the wrong type, a value off its pattern — `check` refuses too, and what a schema accepts `check` accepts;
every field is described for editors in both languages; and the VS Code wiring points at the schemas and covers
every content file type.
"""
from __future__ import annotations

import copy
import fnmatch
import functools
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from actionplan.content import schema
from actionplan.base.errors import WARNING, Problems
from actionplan.build.pipeline import Project, load
from actionplan.content.sources import split_front_matter
from conftest import FIXTURES, ROOT
from mini import CUSTOMS, CUSTOMS_PATH, PLAN, TIPO_EN, entry

SCHEMAS = ROOT / "actionplan" / "content" / "schemas"
VSCODE = ROOT / ".vscode"
_CJK = re.compile(r"[\u3400-\u9fff]")

# Keywords that mean the same in draft 7, which the VS Code YAML extension implements, and in 2020-12, which
# `jsonschema` applies here; patternErrorMessage is the extension's own, and validators ignore it.
_KEYWORDS = {"$schema", "$defs", "$ref", "type", "properties", "required", "additionalProperties", "items",
             "pattern", "format", "minimum", "default", "examples", "title", "description", "x-title", "x-description",
             "patternErrorMessage"}
_ANNOTATIONS = {"title", "description", "x-title", "x-description", "examples", "default"}


def schema_name_of(rel: str) -> str | None:
    """Return the schema of a content file, by its path under content/."""
    if rel in ("site.yaml", "strings.yaml", "agencies.yaml"):
        return rel.removesuffix(".yaml")
    if fnmatch.fnmatch(rel, "plans/*/plan.yaml"):
        return "plan"
    if fnmatch.fnmatch(rel, "whitepapers/*/whitepaper.yaml"):
        return "whitepaper"
    if fnmatch.fnmatch(rel, "whitepapers/*/responses/*.en.md"):
        return "wp-response-en"
    if fnmatch.fnmatch(rel, "whitepapers/*/responses/*.md"):
        return "wp-response"
    if fnmatch.fnmatch(rel, "outcomes/*/*.en.md"):
        return "outcome-en"
    if fnmatch.fnmatch(rel, "outcomes/*/*.md"):
        return "outcome"
    if fnmatch.fnmatch(rel, "documents/*.yaml"):
        return "document"
    return None


def as_json(value: object) -> object:
    """Return YAML data, read as `check` reads it (YAML 1.1), as JSON: a date is its text, as the editor sees it."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value.isoformat() if isinstance(value, date) else value


def read_data(path: Path) -> tuple[object, str | None]:
    """Return a content file's YAML data (a Markdown file's front matter) and a Markdown file's body."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".md":
        return yaml.safe_load(text), None
    front, body, _ = split_front_matter(text, path, Problems())
    return yaml.safe_load(front), body


def write_data(path: Path, data: object, body: str | None) -> None:
    """Write YAML data back to a content file (a Markdown file's front matter before its body)."""
    dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(dumped if body is None else f"---\n{dumped}---\n{body}", encoding="utf-8")


@functools.cache
def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema.load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(name: str, data: object) -> list[str]:
    """Return what the schema refuses in the data, as `jsonschema` finds it."""
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(as_json(data))]


def check_errors(project: Project, rel: str) -> list[str]:
    """Return the errors `check` reports in one content file."""
    problems = Problems(project.root)
    load(project, problems)
    return [f"{p.code} {p}" for p in problems.errors if p.path == f"content/{rel}"]


def walk(node: object, pointer: str = ""):
    """Yield (JSON pointer, schema object) of every schema object inside a schema, the root included."""
    if not isinstance(node, dict):
        return
    yield pointer, node
    for key in ("properties", "$defs"):
        for name, child in node.get(key, {}).items():
            yield from walk(child, f"{pointer}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        yield from walk(node.get(key), f"{pointer}/{key}")


def fields_of(root: dict):
    """Yield (JSON pointer, schema) of every field: each property, and the schema of a free key's value."""
    for pointer, node in walk(root):
        if re.search(r"/properties/[^/]+$|/additionalProperties$", pointer):
            yield pointer, node


# (a) Every shipped content file is valid under its schema.


def test_every_schema_is_a_valid_draft_2020_12_schema():
    assert sorted(p.name for p in SCHEMAS.glob("*.schema.json")) == sorted(f"{n}.schema.json" for n in schema.SCHEMA_NAMES)
    for name in schema.SCHEMA_NAMES:
        loaded = schema.load_schema(name)
        assert loaded["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(loaded)


CONTENT_FILES = [(base, p.relative_to(base).as_posix())
                 for base in (ROOT / "content", FIXTURES / "mini")
                 for p in sorted(base.rglob("*")) if p.suffix in (".yaml", ".md")]


@pytest.mark.parametrize("base, rel", CONTENT_FILES, ids=[f"{b.name}/{r}" for b, r in CONTENT_FILES])
def test_every_content_file_is_valid_under_its_schema(base, rel):
    name = schema_name_of(rel)
    assert name is not None, f"no schema covers content/{rel}"
    data, _ = read_data(base / rel)
    assert schema_errors(name, data) == []


# (b) What a schema refuses, `check` refuses; what it accepts, `check` accepts.


# Each mapping of each kind of content file, in the mini corpus: (file, schema, where in the file, its shape).
LOCATIONS = [
    ("site.yaml", "site", (), ()),
    ("site.yaml", "site", ("title",), ("title",)),
    ("agencies.yaml", "agencies", (), ()),
    ("agencies.yaml", "agencies", ("agencies", 1), ("agencies",)),
    ("agencies.yaml", "agencies", ("agencies", 2, "former_names", 0), ("agencies", "former_names")),
    (PLAN, "plan", (), ()),
    (PLAN, "plan", ("period",), ("period",)),
    (PLAN, "plan", ("goals", 0), ("goals",)),
    (PLAN, "plan", ("goals", 0, "strategies", 0), ("goals", "strategies")),
    (PLAN, "plan", ("goals", 0, "strategies", 0, "measures", 0), ("goals", "strategies", "measures")),
    (CUSTOMS, "outcome", (), ()),
    (TIPO_EN, "outcome-en", (), ()),
]
_MISSING = object()
_WRONG_TYPE = {"text": True, "date": True, "bilingual": "一段文字", "integer": "1", "boolean": "yes please",
               "texts": "智慧局", "list": "一段文字", "mapping": "2024"}
"""A value of another type than the field holds, for each kind: YAML writes True as `true`, "1" as '1'."""


def shape_at(name: str, path: tuple[str, ...]) -> schema.Shape:
    found = schema.shape(name)
    for step in path:
        found = found.inner(step) if step in found.names else found.each
    return found


def mutations(shape: schema.Shape):
    """Yield (what, key, value, refused) for a mapping of this shape: each change, and whether the schema refuses it
    (_MISSING drops the key)."""
    for key in shape.names:
        field = shape.field(key)
        if field.required:
            yield f"drop required {key}", key, _MISSING, True
            yield f"null required {key}", key, None, True
        else:
            yield f"null optional {key}", key, None, False
        yield f"wrong type {key}", key, _WRONG_TYPE[field.kind], True
        if field.pattern is not None:
            yield f"off pattern {key}", key, " " if field.schema["pattern"] == "\\S" else "？", True
    yield "unknown field", "remark", "備註", True


def located(data: object, where: tuple) -> dict:
    for step in where:
        data = data[step]  # type: ignore[index]
    return data  # type: ignore[return-value]


@pytest.mark.parametrize("rel, name, where, path", LOCATIONS,
                         ids=[f"{n}:{'/'.join(map(str, w)) or 'top'}" for _, n, w, _ in LOCATIONS])
def test_check_refuses_exactly_what_the_schema_refuses(make_site, rel, name, where, path):
    project = make_site({})
    target = project.content / rel
    original, body = read_data(target)
    write_data(target, original, body)
    assert check_errors(project, rel) == [] and schema_errors(name, original) == []
    disagreements = []
    for what, key, value, refused in mutations(shape_at(name, path)):
        data = copy.deepcopy(original)
        mapping = located(data, where)
        if value is _MISSING:
            mapping.pop(key, None)
        else:
            mapping[key] = value
        write_data(target, data, body)
        by_schema, by_check = schema_errors(name, data), check_errors(project, rel)
        if bool(by_schema) != refused or bool(by_check) != refused:
            disagreements.append(f"{what}: schema {by_schema[:1] or 'accepts'}, check {by_check[:1] or 'accepts'}")
    assert disagreements == []


def test_strings_need_both_languages_in_the_schema_and_in_check(make_site):
    project = make_site({})
    target = project.content / "strings.yaml"
    original, _ = read_data(target)
    key = next(iter(original))
    for value in ({"zh": "首頁"}, {"zh": "首頁", "en": " "}, {"en": "Home"}, "首頁", None,
                  {"zh": "首頁", "en": "Home", "fr": "Accueil"}, {"zh": True, "en": "Home"}):
        data = {**original, key: value}
        write_data(target, data, None)
        assert schema_errors("strings", data), value
        assert check_errors(project, "strings.yaml"), value


@pytest.mark.parametrize("fields, pointer, code, line", [
    ({"agency": None}, "", "E-FIELD-REQUIRED", 2),
    ({"remark": "備註"}, "", "E-FIELD-UNKNOWN", 7),
    ({"measure": "1.10"}, "measure", "E-YAML-TYPE", 3),
    ({"quarter": "2024Q3"}, "quarter", "E-QUARTER", 5),
    ({"agency": "TIPO"}, "agency", "E-ID-FORMAT", 4),
    ({"updated": "113/10/14"}, "updated", "E-DATE", 6),
], ids=["required field dropped", "unknown field", "wrong type", "quarter off pattern", "id off pattern",
        "ROC date"])
def test_a_broken_entry_is_refused_by_jsonschema_and_by_check(make_site, fields, pointer, code, line):
    project = make_site({CUSTOMS: entry(**fields)})
    data, _ = read_data(project.content / CUSTOMS)
    assert {e.split(":")[0] for e in schema_errors("outcome", data)} == {pointer}
    problems = Problems(project.root)
    load(project, problems)
    assert [(p.path, p.line, p.code) for p in problems.errors] == [(CUSTOMS_PATH, line, code)]


def test_check_takes_fields_required_ones_and_patterns_from_the_schema(make_site, monkeypatch):
    changed = copy.deepcopy(schema.load_schema("outcome"))
    changed["properties"]["source_table"] = {**changed["properties"]["remarks"], "type": "string"}
    changed["required"].append("completion")
    changed["properties"]["agency"]["pattern"] = "^[A-Z]+$"
    real = schema.shape

    def patched(name: str, *path: str) -> schema.Shape:
        if name != "outcome":
            return real(name, *path)
        return functools.reduce(lambda found, step: found.inner(step), path, schema.Shape(changed, changed))

    # Front matter is read with the schema module's shape (FieldReader.front_matter).
    monkeypatch.setattr("actionplan.content.schema.shape", patched)
    project = make_site({CUSTOMS: entry(source_table='"列管追蹤表"', remark='"備註"')})
    problems = Problems(project.root)
    load(project, problems)
    assert [(p.line, p.code) for p in problems.errors if p.path == CUSTOMS_PATH] == [
        (2, "E-FIELD-REQUIRED"), (4, "E-ID-FORMAT"), (8, "E-FIELD-UNKNOWN")]


def test_a_required_field_left_out_is_hinted_with_its_name_and_example(make_site):
    project = make_site({CUSTOMS: entry(plan=None)})
    problems = Problems(project.root)
    load(project, problems)
    assert [p.hint for p in problems.errors] == [
        'write "plan: …" (Plan edition), e.g. plan: "2024-2026" | 請填寫「plan: …」（方案版本），例如 plan: "2024-2026"']


def test_a_yaml_language_server_modeline_in_front_matter_is_accepted_as_a_comment(make_site):
    # The YAML extension does not read front matter in Markdown (see docs/editing.md, "Editing in VS Code"); a
    # modeline an editor pastes is harmless.
    modeline = "# yaml-language-server: $schema=../../../actionplan/content/schemas/outcome.schema.json\n"
    project = make_site({CUSTOMS: entry().replace("---\n", "---\n" + modeline, 1)})
    problems = Problems(project.root)
    load(project, problems)
    assert problems.errors == [] and problems.warnings == []


# (c) Every field is described for editors in both languages, as the project writes them.


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_every_field_has_a_title_and_description_in_both_languages(name):
    root = schema.load_schema(name)
    fields = list(fields_of(root))
    assert fields
    for pointer, node in [("", root), *fields]:
        for key in ("x-title", "x-description"):
            texts = node.get(key)
            assert isinstance(texts, dict) and set(texts) == {"zh", "en"}, f"{name}{pointer}: {key}"
            assert _CJK.search(texts["zh"]), f"{name}{pointer}: {key}.zh is not Chinese"
            assert re.search(r"[A-Za-z]{2}", texts["en"]), f"{name}{pointer}: {key}.en is not English"
        assert node["title"] == f"{node['x-title']['en']} | {node['x-title']['zh']}", f"{name}{pointer}"
        assert node["description"] == f"{node['x-description']['en']} | {node['x-description']['zh']}", f"{name}{pointer}"
        if "patternErrorMessage" in node:
            english, _, chinese = node["patternErrorMessage"].partition(" | ")
            assert english and _CJK.search(chinese), f"{name}{pointer}: patternErrorMessage"


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_schemas_keep_the_conventions_check_and_the_editor_rely_on(name):
    root = schema.load_schema(name)
    for pointer, node in walk(root):
        assert set(node) <= _KEYWORDS, f"{name}{pointer}: {sorted(set(node) - _KEYWORDS)}"
        if "$ref" in node:
            assert set(node) - {"$ref"} <= _ANNOTATIONS, f"{name}{pointer}: only annotations beside $ref"
        if "properties" in node:
            assert node.get("additionalProperties") is False, f"{name}{pointer}: unknown fields must be refused"
            assert set(node.get("required", ())) <= set(node["properties"]), f"{name}{pointer}"
    # An optional field may be written empty (it reads as left out); a required one may not. Every field has a kind
    # the readers know.
    shapes, seen = [schema.shape(name)], set()
    while shapes:
        found = shapes.pop()
        # A shape may hold itself (a document's sections hold sections): each is looked at once.
        text = json.dumps(found.schema, sort_keys=True)
        if text in seen:
            continue
        seen.add(text)
        for key in found.names:
            field = found.field(key)
            assert field.nullable != field.required, f"{name}: {key}"
            if field.kind in ("list", "mapping"):
                shapes.append(found.inner(key))


@pytest.mark.parametrize("name", schema.SCHEMA_NAMES)
def test_every_example_is_valid_under_its_field(name):
    root = schema.load_schema(name)
    for pointer, node in walk(root):
        for example in node.get("examples", ()):
            own = Draft202012Validator({"$defs": root.get("$defs", {}), **node},
                                       format_checker=Draft202012Validator.FORMAT_CHECKER)
            assert [e.message for e in own.iter_errors(example)] == [], f"{name}{pointer}: {example!r}"


def test_ids_dates_and_quarters_follow_one_pattern_in_every_schema():
    outcome, english = schema.shape("outcome"), schema.shape("outcome-en")
    for key in ("plan", "measure", "agency", "quarter"):
        assert outcome.field(key).schema["pattern"] == english.field(key).schema["pattern"]
    assert outcome.field("plan").schema["pattern"] == schema.shape("plan").field("id").schema["pattern"]
    assert outcome.field("agency").schema["pattern"] == schema.shape("agencies", "agencies").field("id").schema["pattern"]
    dates = {(name, pointer): node["pattern"] for name in schema.SCHEMA_NAMES
             for pointer, node in walk(schema.load_schema(name)) if node.get("format") == "date"}
    assert len(set(dates.values())) == 1, dates


# (d) VS Code: the YAML files validate against the schemas; the Markdown entries are checked by `check`.


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile(re.escape(pattern).replace(r"\*\*", ".*").replace(r"\*", "[^/]*") + r"\Z")


def test_vscode_maps_every_yaml_content_file_to_its_schema():
    settings = json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))
    mapped = {}
    for schema_path, globs in settings["yaml.schemas"].items():
        assert (ROOT / schema_path).is_file(), schema_path
        name = Path(schema_path).name.removesuffix(".schema.json")
        for pattern in [globs] if isinstance(globs, str) else globs:
            mapped[pattern] = name
    yaml_files = [p.relative_to(ROOT).as_posix() for p in sorted((ROOT / "content").rglob("*.yaml"))]
    for rel in yaml_files:
        names = [name for pattern, name in mapped.items() if _glob(pattern).match(rel)]
        assert names == [schema_name_of(rel.removeprefix("content/"))], rel
    assert {schema_name_of(f.removeprefix("content/")) for f in yaml_files} == set(mapped.values())
    # The extension's YAML 1.1 mode reads an unquoted 2024-10-14 as a timestamp, which its validator does not
    # treat as text: it stays on YAML 1.2, where dates are text and their pattern is checked.
    assert settings.get("yaml.yamlVersion", "1.2") == "1.2"
    recommended = json.loads((VSCODE / "extensions.json").read_text(encoding="utf-8"))["recommendations"]
    assert "redhat.vscode-yaml" in recommended


def _check_task() -> dict:
    tasks = json.loads((VSCODE / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    return next(t for t in tasks if t["args"][:2] == ["build.py", "check"])


def test_vscode_check_task_puts_every_problem_of_check_at_its_file_and_line(make_site):
    task = _check_task()
    assert task["group"] == {"kind": "build", "isDefault": True}
    matchers = [(re.compile(m["pattern"]["regexp"]), m["pattern"]) for m in task["problemMatcher"]]
    project = make_site({
        CUSTOMS: b"\xef\xbb\xbf" + entry(measure="1.10", quarter="2024Q3").encode(),
        "extra.yaml": "a: 1\n",
    })
    problems = Problems(project.root)
    load(project, problems)
    found = sorted(problems.errors + problems.warnings)
    assert {p.line == 0 for p in found} == {True, False} and {p.col == 0 for p in found} == {True, False}
    assert any(p.severity == WARNING for p in found)
    for problem in found:
        line = str(problem)
        matches = [(m, pattern) for regexp, pattern in matchers if (m := regexp.match(line))]
        assert len(matches) == 1, line
        match, pattern = matches[0]
        assert match.group(pattern["file"]) == problem.path
        assert (match.group(pattern["severity"]) or "error") == problem.severity
        if pattern.get("kind") == "file":
            assert problem.line == 0
        else:
            assert int(match.group(pattern["line"])) == problem.line
            assert int(match.group(pattern["column"]) or 0) == problem.col
    summary = problems.report().splitlines()[-1]
    assert not any(regexp.match(summary) for regexp, _ in matchers)
    assert not any(regexp.match("Content OK. 內容檢查通過。") for regexp, _ in matchers)


def test_vscode_wiring_covers_every_content_file_type():
    settings = json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))
    in_editor = {Path(p).name.removesuffix(".schema.json") for p in settings["yaml.schemas"]}
    # The YAML extension does not read front matter in Markdown files (redhat-developer/vscode-yaml#207): the entries
    # are checked by `check`, which the task runs and whose problems it shows in the editor.
    by_task = {"outcome", "outcome-en", "wp-response", "wp-response-en"} if _check_task() else set()
    assert in_editor | by_task == set(schema.SCHEMA_NAMES)
    editing = (ROOT / "docs/editing.md").read_text(encoding="utf-8")
    assert "## Editing in VS Code" in editing


def test_every_content_kind_has_its_schemas_and_every_schema_a_kind():
    from actionplan.content.kinds import CONTENT_KINDS

    declared = [name for kind in CONTENT_KINDS for name in kind.schemas]
    assert sorted(declared) == sorted(schema.SCHEMA_NAMES)
    assert all((SCHEMAS / f"{name}.schema.json").is_file() for name in declared)


def test_every_shipped_content_file_is_claimed_by_exactly_one_kind():
    from actionplan.content.kinds import CONTENT_KINDS

    for path in sorted((ROOT / "content").rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".md"):
            relative = path.relative_to(ROOT / "content").as_posix()
            assert [kind.name for kind in CONTENT_KINDS if kind.claims(relative)] != [], relative
            assert len([kind for kind in CONTENT_KINDS if kind.claims(relative)]) == 1, relative

