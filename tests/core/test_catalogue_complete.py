import threading

from babel.messages.plurals import get_plural

from events_app.core import i18n
from events_app.core.locale_tools import extract_messages, missing, placeholder_mismatches, read_catalogues, translated_messages
from events_app.core.templating import build_environment


def test_every_message_has_a_vietnamese_translation():
    assert len(extract_messages()) > 100
    gaps = missing("vi")
    assert not gaps, "untranslated messages (run python -m events_app.core.locale_tools):\n" + "\n".join(
        f"{key!r} at {where[0]}" for key, where in list(gaps.items())[:20]
    )


def test_translations_keep_their_placeholders():
    assert placeholder_mismatches("vi") == []


def test_every_domain_declares_vietnamese_plural_forms():
    # The merged catalogue takes its Plural-Forms from the first domain: they must all agree, with CLDR.
    expected = str(get_plural("vi"))
    assert expected == "nplurals=1; plural=0;"
    catalogues = read_catalogues("vi")
    assert len(catalogues) > 5
    assert {domain: catalog.plural_forms for domain, catalog in catalogues.items()} == dict.fromkeys(catalogues, expected)


def test_the_compiled_catalogue_shows_every_translation_of_the_po_files():
    compiled = i18n.load_translations("vi")  # compiled afresh: the .po files may have changed since start-up
    for key, text in translated_messages("vi").items():
        if isinstance(key, str):
            assert compiled.gettext(key) == text, key
        else:
            for n in (0, 1, 2, 21):
                assert compiled.ngettext(key[0], key[1], n) == text[0], (key, n)


def test_plurals_follow_each_languages_rule():
    singular, plural = "%(num)d upcoming event", "%(num)d upcoming events"
    with i18n.language("vi"):  # one form whatever the number
        assert [i18n.ngettext(singular, plural, n) for n in (0, 1, 5)] == ["%(num)d sự kiện sắp diễn ra"] * 3
    with i18n.language("en"):  # no catalogue: the message ids, singular for exactly one
        assert [i18n.ngettext(singular, plural, n) for n in (0, 1, 5)] == [plural, singular, plural]


def test_templates_use_the_catalogue_and_its_plurals():
    template = build_environment().from_string(
        '{{ _("Log in") }}: {{ ngettext("%(num)d upcoming event", "%(num)d upcoming events", count) }}'
    )
    with i18n.language("vi"):
        assert template.render(count=1) == "Đăng nhập: 1 sự kiện sắp diễn ra"
        assert template.render(count=4) == "Đăng nhập: 4 sự kiện sắp diễn ra"
    with i18n.language("en"):
        assert template.render(count=1) == "Log in: 1 upcoming event"
        assert template.render(count=4) == "Log in: 4 upcoming events"


def test_catalogues_compile_from_po_files_alone(tmp_path, monkeypatch):
    (tmp_path / "vi").mkdir()
    for domain in ("events", "web"):
        (tmp_path / "vi" / f"{domain}.po").write_bytes((i18n.LOCALE_DIR / "vi" / f"{domain}.po").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    compiled = i18n.load_translations("vi")
    assert compiled.ngettext("%(num)d upcoming event", "%(num)d upcoming events", 2) == "%(num)d sự kiện sắp diễn ra"
    assert list(tmp_path.rglob("*.mo")) == []  # compiled in memory: nothing to build or commit
    assert i18n.load_translations("fr").gettext("Log in") == "Log in"


def test_each_language_is_compiled_once_per_process(monkeypatch):
    calls = []
    load = i18n.load_translations

    def counted(lang):
        calls.append(lang)
        return load(lang)

    monkeypatch.setattr(i18n, "load_translations", counted)
    i18n.reload_translations()
    start = threading.Barrier(8)
    seen = []

    def ask():
        start.wait()
        seen.append(i18n.translations("vi"))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == ["vi"]
    assert len({id(found) for found in seen}) == 1
    i18n.reload_translations()
