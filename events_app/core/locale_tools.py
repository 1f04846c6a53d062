"""Keeping the message catalogues complete.

`python -m events_app.core.locale_tools` lists the messages of code and templates that the Vietnamese
catalogues lack, as `.po` entries grouped by the catalogue (domain) they belong in. The `.po` files
are the only source: `core.i18n` compiles them in memory when a language is first used.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from events_app.core.i18n import LOCALE_DIR, reload_translations
from events_app.core.settings import PROJECT_ROOT

METHOD_MAP = [
    ("events_app/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.svg", "jinja2"),
]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}, "templates/**.svg": {"extensions": "jinja2.ext.i18n"}}
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _domain(path: str) -> str:
    parts = Path(path).parts
    if parts[0] == "events_app" and len(parts) > 2:
        return parts[1]
    if parts[0] == "templates" and len(parts) > 2:
        return parts[1]
    return "core"


def extract_messages() -> dict[str | tuple[str, str], list[str]]:
    """Every message id in code and templates, with where it appears."""
    found: dict[str | tuple[str, str], list[str]] = defaultdict(list)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PROJECT_ROOT, method_map=METHOD_MAP, options_map=OPTIONS, keywords=KEYWORDS
    ):
        if filename.startswith(("events_app/core/locale_tools", ".venv")):
            continue
        key = message if isinstance(message, str) else tuple(message[:2])
        if key:
            found[key].append(f"{filename}:{lineno}")
    return found


def read_catalogues(lang: str = "vi") -> dict[str, Catalog]:
    """Each domain's catalogue of a language, by domain name."""
    catalogues = {}
    for path in sorted((LOCALE_DIR / lang).glob("*.po")):
        with path.open("rb") as handle:
            catalogues[path.stem] = read_po(handle, locale=lang, domain=path.stem)
    return catalogues


def translated_messages(lang: str = "vi") -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """Every message with a translation that will be shown (not fuzzy, not empty), all domains together."""
    messages: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for catalog in read_catalogues(lang).values():
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, str) and message.string:
                messages[message.id] = message.string
            elif isinstance(message.id, (tuple, list)) and all(message.string):
                messages[tuple(message.id[:2])] = tuple(message.string)
    return messages


def missing(lang: str = "vi") -> dict[str | tuple[str, str], list[str]]:
    known = translated_messages(lang)
    return {key: where for key, where in extract_messages().items() if key not in known}


def _po_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def merge(translations: dict[str, str], lang: str = "vi") -> int:
    """Add translations of missing messages to the catalogue of the domain each belongs to."""
    import fcntl

    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with (LOCALE_DIR / ".merge.lock").open("w") as lock:  # several people may merge at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _merge_locked(translations, lang)


def _merge_locked(translations: dict[str, str], lang: str) -> int:
    gaps = missing(lang)
    added = 0
    by_domain: dict[str, list] = defaultdict(list)
    for key, where in gaps.items():
        text = _text(translations.get(key if isinstance(key, str) else key[0]))
        if text:
            by_domain[_domain(where[0])].append((key, text, where))
    for domain, entries in by_domain.items():
        path = LOCALE_DIR / lang / f"{domain}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(
                locale=lang,
                project="OCOP Fair Manager",
                header_comment=f"# {lang} messages of OCOP Fair Manager, domain {domain}.",
                fuzzy=False,
            )
        for key, text, where in entries:
            catalog.add(key, (text,) if isinstance(key, tuple) else text)
            added += 1
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".po.tmp")  # written whole, then moved: never a truncated catalogue
        with partial.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=False, no_location=True)
        partial.replace(path)
    reload_translations()
    return added


def _text(value: object) -> str:
    """A translation as given in the JSON file: a string, or for plurals a list or {form: text}."""
    if isinstance(value, dict):
        value = next(iter(value.values()), "")
    if isinstance(value, list):
        value = value[0] if value else ""
    return value if isinstance(value, str) else ""


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def placeholder_mismatches(lang: str = "vi") -> list[tuple[str, str]]:
    """Translations whose %(name)s placeholders differ from their message id's."""
    out = []
    for key, text in translated_messages(lang).items():
        source = key if isinstance(key, str) else key[0]
        texts = [text] if isinstance(text, str) else list(text)
        for translated in texts:
            if set(_PLACEHOLDER.findall(source)) != set(_PLACEHOLDER.findall(translated)):
                out.append((source, translated))
    return out


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--merge":
        import json

        added = merge(json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
        print(f"added {added} translations", file=sys.stderr)
        return 0
    gaps = missing("vi")
    by_domain: dict[str, list] = defaultdict(list)
    for key, where in gaps.items():
        by_domain[_domain(where[0])].append((key, where))
    for domain, entries in sorted(by_domain.items()):
        print(f"# ---- {LOCALE_DIR / 'vi' / (domain + '.po')}")
        for key, where in entries:
            print(f"#: {' '.join(where[:3])}")
            if isinstance(key, tuple):
                print(f"msgid {_po_string(key[0])}\nmsgid_plural {_po_string(key[1])}\nmsgstr[0] \"\"\n")
            else:
                print(f"msgid {_po_string(key)}\nmsgstr \"\"\n")
    print(f"# {len(gaps)} missing", file=sys.stderr)
    return 1 if gaps else 0


if __name__ == "__main__":
    raise SystemExit(main())
