"""The editors' form at /admin/: Decap CMS, vendored, with a config.yml generated at build time from the content model
(plan editions, measures, agencies) and the outcome entries' JSON Schemas (labels, hints, required fields, patterns).

An entry is edited as one form, Chinese beside English (Decap's i18n, ``multiple_files``), and saving it opens a
pull request (``editorial_workflow``), which CI checks like any other. The files Decap reads and writes keep the
site's names (``<quarter>/<measure>.<agency>.md`` and ``….en.md``): ``cms/outcome-files.js`` translates between
those and the names Decap would use, and says why.

Nothing here reaches the network: the page loads Decap from /admin/, never from a CDN, and the build copies the
bundle from ``cms/vendor/`` (``tools/vendor_decap.py`` refreshes it from npm).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path

import yaml

from ..content.models import Corpus

ADMIN = "admin"
"""The folder of the site the form is served from: /admin/."""
FOLDER = "content/outcomes"
"""Where the entries are, from the repository's root."""
LOCALES = ("zh", "en")
"""The languages of an entry, the first the default: the Chinese file has none in its name, the English ``.en``."""
IDENTITY = ("plan", "measure", "agency", "quarter")
"""The fields that name an entry: the English file repeats the Chinese file's values (Decap's i18n ``duplicate``)."""
SCRIPTS = ("manual-init.js", "vendor/decap-cms.js", "outcome-files.js")
"""What the page loads, in order, from ``cms/``; each is served from /admin/ under its own name."""
NOTICES = ("vendor/LICENSE", "vendor/decap-cms.js.LICENSE.txt")
"""Decap's licence and those of the libraries bundled in it, published beside the bundle."""


@dataclass(frozen=True)
class Backend:
    """Where Decap reads and writes the content, and how editors log in."""

    name: str = "github"
    """``github``: Decap works through GitHub's API as the editor, who logs in with GitHub through Netlify's OAuth
    provider; ``test-repo``: a repository held in the browser page, for tests."""
    repo: str | None = None
    """The repository on GitHub, ``owner/name``; without it the github backend cannot start, and /admin/ says so."""
    branch: str = "main"
    """The branch entries are published to, and pull requests are opened against."""


BACKEND = Backend(name="github", repo=None, branch="main")
"""The backend the published form uses. Without ``repo``, a Netlify build takes the repository it deploys
(``configured_backend``); set ``repo`` to this repository's ``owner/name`` to name it anywhere else. docs/editing.md
("Editing in the browser") says what Netlify and GitHub need."""
_GITHUB_REPOSITORY = re.compile(r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?", re.ASCII)


def configured_backend(environment: Mapping[str, str] = os.environ) -> Backend:
    """Return BACKEND, with the repository Netlify is building from where BACKEND names none: Netlify's build
    sets ``REPOSITORY_URL`` (https://github.com/owner/name), so the form works on the site it deploys."""
    found = _GITHUB_REPOSITORY.fullmatch(environment.get("REPOSITORY_URL", ""))
    if BACKEND.repo or BACKEND.name != "github" or found is None:
        return BACKEND
    return Backend(BACKEND.name, found.group(1), BACKEND.branch)

CONNECT_SOURCES = {"github": ("https://api.github.com", "https://www.githubstatus.com"), "test-repo": ()}
"""What each backend fetches besides the site itself: the /admin/ Content-Security-Policy in netlify.toml allows
exactly these (tests/test_admin.py holds the two together)."""

BODY_LABEL = "執行成效內容 Outcome text"
BODY_HINT = ("本季執行成效，數字照填報原文；若無進度，請寫「本季無新進度」。英文欄為翻譯，可留空。 "
             "What the agency did this quarter, with the figures exactly as reported; if nothing was done, write "
             "本季無新進度. The English side is the translation and may stay empty.")
COLLECTION_LABEL = "執行成效 Outcome entries"
COLLECTION_LABEL_SINGULAR = "執行成效 Outcome entry"
COLLECTION_DESCRIPTION = (
    "每筆是一個機關就一項執行措施在一季的執行成效，中文在左、英文翻譯在右。儲存後會開啟合併請求（pull request），"
    "經檢查與審閱後才會發布。 Each entry is what one agency reported on one measure in one quarter, Chinese on the "
    "left, the English translation on the right. Saving opens a pull request; the entry is published once it has been "
    "checked and reviewed.")


def load_entry_schemas(schemas_dir: Path | None = None) -> dict[str, dict]:
    """Return the outcome entry schemas by locale: the Chinese file's and the English translation's."""
    names = {"zh": "outcome.schema.json", "en": "outcome-en.schema.json"}
    folder = schemas_dir or Path(str(resources.files("actionplan.content") / "schemas"))
    return {lang: json.loads((folder / name).read_text(encoding="utf-8")) for lang, name in names.items()}


def _properties(schema: dict) -> dict[str, dict]:
    """Return a schema's properties in its order, each with a local ``$ref`` merged in (its own keywords win)."""

    def resolve(node: dict) -> dict:
        if "$ref" not in node:
            return node
        target = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return {**resolve(target), **{k: v for k, v in node.items() if k != "$ref"}}

    return {name: resolve(node) for name, node in schema.get("properties", {}).items()}


def both(texts: dict[str, str]) -> str:
    """Return a schema's ``{zh, en}`` text as the form shows it, Chinese then English: 季別 Quarter."""
    return f"{texts['zh']} {texts['en']}"


def _types(prop: dict) -> set[str]:
    declared = prop.get("type", "string")
    return {declared} if isinstance(declared, str) else set(declared)


def measure_options(corpus: Corpus) -> list[dict[str, str]]:
    """Return one option per measure number, labelled with its Chinese text in every edition that has it."""
    editions: dict[str, list[str]] = {}
    for plan in corpus.plans.values():
        for measure in plan.measures:
            editions.setdefault(measure.id, []).append(f"〔{plan.id}〕{measure.text.zh}")
    numbers = sorted(editions, key=lambda number: tuple(int(part) for part in number.split(".")))
    return [{"value": number, "label": f"{number} {' ／ '.join(editions[number])}"} for number in numbers]


def select_options(corpus: Corpus) -> dict[str, list[dict[str, str]]]:
    """Return the choices of each select field: plan editions, measures, agencies with their names in zh and en."""
    return {
        "plan": [{"value": plan.id, "label": f"{plan.id} {plan.edition.zh} {plan.edition.en or ''}".rstrip()}
                 for plan in corpus.plans.values()],
        "measure": measure_options(corpus),
        "agency": [{"value": agency.id, "label": f"{agency.zh} {agency.en}（{agency.id}）"}
                   for agency in corpus.agencies.values()],
    }


def _field(name: str, prop: dict, required: bool, i18n: bool | str, options: list[dict] | None) -> dict:
    """Return the Decap field for one schema property."""
    field: dict = {"name": name, "label": both(prop["x-title"]), "hint": both(prop["x-description"])}
    if options is not None:
        field |= {"widget": "select", "options": options}
    elif prop.get("format") == "date":
        # Stored as the text 2024-10-14, as the files write it; the picker offers no time.
        field |= {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False,
                  "picker_utc": True}
    elif _types(prop) - {"null"} == {"string"}:
        field |= {"widget": "string"}
    else:
        raise ValueError(f"the outcome schema's \"{name}\" has a type the form has no widget for: {prop.get('type')}")
    field["required"] = required
    if "pattern" in prop:
        message = prop.get("patternErrorMessage") or both(prop["x-description"])
        field["pattern"] = [prop["pattern"], message]
    field["i18n"] = i18n
    return field


def entry_fields(schemas: dict[str, dict], corpus: Corpus) -> list[dict]:
    """Return the form's fields: every property of the Chinese file's schema, in its order, then the text.

    A property both files have is translated (``i18n: true``), or repeated when it names the entry (``duplicate``);
    one only the Chinese file has (``reported_as``) is shown in Chinese only (``none``). Labels, hints, required
    fields and patterns are the Chinese file's schema's; Decap gives a field one label for both languages.
    """
    zh, en = _properties(schemas["zh"]), _properties(schemas["en"])
    if set(en) - set(zh):
        raise ValueError(f"the English schema has fields the Chinese one lacks: {sorted(set(en) - set(zh))}")
    required = set(schemas["zh"].get("required", ()))
    options = select_options(corpus)
    fields = []
    for name, prop in zh.items():
        i18n = ("duplicate" if name in IDENTITY else True) if name in en else "none"
        fields.append(_field(name, prop, name in required, i18n, options.get(name)))
    fields.append({"name": "body", "label": BODY_LABEL, "hint": BODY_HINT, "widget": "markdown",
                   # Raw Markdown only: the rich-text editor rewrites what it saves (escapes, list markers).
                   "modes": ["raw"], "editor_components": [], "required": True, "i18n": True})
    return fields


def decap_config(corpus: Corpus, schemas: dict[str, dict], backend: Backend = BACKEND) -> dict:
    """Return Decap's configuration: the backend, the editorial workflow, the languages and the entries collection."""
    backend_settings = {"name": backend.name, **({"repo": backend.repo} if backend.repo else {}),
                        "branch": backend.branch}
    config: dict = {
        "backend": backend_settings,
        # Saving opens a pull request; nothing reaches the published branch without one.
        "publish_mode": "editorial_workflow",
        "locale": "zh_Hant",
        **({"site_url": corpus.site.base_url} if corpus.site.base_url else {}),
        # Decap requires a media folder; entries take no uploads (images must sit under /assets/ with alt text).
        "media_folder": "static/images",
        "public_folder": corpus.site.base_path + "assets/images",
        "i18n": {"structure": "multiple_files", "locales": list(LOCALES), "default_locale": LOCALES[0]},
        "collections": [{
            "name": "outcomes",
            "label": COLLECTION_LABEL,
            "label_singular": COLLECTION_LABEL_SINGULAR,
            "description": COLLECTION_DESCRIPTION,
            "folder": FOLDER,
            "path": "{{quarter}}/{{slug}}",
            "slug": "{{measure}}.{{agency}}",
            "identifier_field": "measure",
            "summary": "{{quarter}} {{measure}} {{agency}}",
            "sortable_fields": ["quarter", "measure", "agency"],
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            # Decap deletes a published entry with a commit of its own, outside the pull-request workflow.
            "delete": False,
            # Without a folder of its own, Decap lists the entries' folder as the media library.
            "media_folder": "/static/images",
            "public_folder": corpus.site.base_path + "assets/images",
            # Decap's preview is not the site's page; the pull request's deploy preview is.
            "editor": {"preview": False},
            "i18n": True,
            "fields": entry_fields(schemas, corpus),
        }],
    }
    return config


def config_yaml(config: dict) -> str:
    """Return the configuration as Decap reads it, config.yml."""
    header = ("# Generated by `python build.py build` from content/ and actionplan/content/schemas/ (actionplan/site/admin.py).\n"
              "# Edit those, not this file.\n")
    return header + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)


NOT_SET_UP = ("<main>\n<h1>編輯表單尚未設定 The editing form is not set up yet</h1>\n"
              "<p>在 Netlify 上建置時，表單會使用 Netlify 部署的 GitHub 版本庫；在其他地方建置，請在 actionplan/site/admin.py 的 "
              "BACKEND 填入本網站在 GitHub 上的版本庫（owner/name），說明見 docs/editing.md「Editing in the browser」。 "
              "Built on Netlify, the form works on the GitHub repository Netlify deploys; built anywhere else, set the "
              "site's GitHub repository (owner/name) in BACKEND in actionplan/site/admin.py. docs/editing.md, \"Editing in the "
              "browser\", says what else is needed.</p>\n</main>\n")
"""What /admin/ says while the github backend has no repository to work on, instead of Decap's error."""


def is_set_up(backend: Backend) -> bool:
    """Return whether Decap can start with this backend: the github backend needs the repository."""
    return backend.name != "github" or bool(backend.repo)


def admin_page(corpus: Corpus, fields: list[dict], backend: Backend, favicon: str) -> str:
    """Return /admin/index.html: Decap's scripts, and the settings outcome-files.js reads from its tag."""
    base = corpus.site.base_path + ADMIN + "/"
    translated = [f["name"] for f in fields if f.get("i18n") is True and f["widget"] == "string"]
    settings = {"backend": backend.name, "folder": FOLDER, "extension": "md", "default-locale": LOCALES[0],
                "locales": " ".join(LOCALES), "translated": " ".join(translated)}
    attributes = "".join(f' data-{key}="{escape(value)}"' for key, value in settings.items())
    title = f"編輯執行成效 Edit outcome entries | {corpus.site.short_title.zh}"
    body = (
        "<noscript>編輯表單需要 JavaScript。 The editing form needs JavaScript.</noscript>\n"
        f'<script src="{base}manual-init.js"></script>\n'
        f'<script src="{base}decap-cms.js"></script>\n'
        f'<script src="{base}outcome-files.js"{attributes}></script>\n'
    ) if is_set_up(backend) else NOT_SET_UP
    return (
        '<!DOCTYPE html>\n<html lang="zh-Hant-TW">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{escape(favicon)}" type="image/svg+xml">\n'
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )


def write_admin(site_dir: Path, corpus: Corpus, backend: Backend | None = None, schemas_dir: Path | None = None) -> int:
    """Write /admin/ into the built site: the page, config.yml, the scripts and the licences; return the file count.
    The backend is ``configured_backend()`` unless given."""
    backend = backend or configured_backend()
    schemas = load_entry_schemas(schemas_dir)
    config = decap_config(corpus, schemas, backend)
    folder = site_dir / ADMIN
    folder.mkdir(parents=True, exist_ok=True)
    cms = Path(str(resources.files(__package__) / "cms"))
    for name in (*SCRIPTS, *NOTICES):
        shutil.copyfile(cms / name, folder / Path(name).name)
    favicon = site_dir / "assets" / "favicon.svg"
    version = hashlib.sha256(favicon.read_bytes()).hexdigest()[:10]  # as the site's pages version their assets
    favicon_url = f"{corpus.site.base_path}assets/favicon.svg?v={version}"
    fields = config["collections"][0]["fields"]
    (folder / "config.yml").write_text(config_yaml(config), encoding="utf-8")
    (folder / "index.html").write_text(admin_page(corpus, fields, backend, favicon_url), encoding="utf-8")
    return len(SCRIPTS) + len(NOTICES) + 2
