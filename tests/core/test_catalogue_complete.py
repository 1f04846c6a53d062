from events_app.core.locale_tools import extract_messages, missing, placeholder_mismatches


def test_every_message_has_a_vietnamese_translation():
    assert len(extract_messages()) > 100
    gaps = missing("vi")
    assert not gaps, "untranslated messages (run python -m events_app.core.locale_tools):\n" + "\n".join(
        f"{key!r} at {where[0]}" for key, where in list(gaps.items())[:20]
    )


def test_translations_keep_their_placeholders():
    assert placeholder_mismatches("vi") == []
