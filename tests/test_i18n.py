"""The committed Spanish catalogue (.mo) says what the .po says."""
import gettext
import os

from babel.messages.pofile import read_po

I18N = os.path.join(os.path.dirname(__file__), "..", "ckanext", "ogpguatemala", "i18n",
                    "es", "LC_MESSAGES")


def test_mo_matches_po():
    with open(os.path.join(I18N, "ckanext-ogpguatemala.po"), "rb") as f:
        catalog = read_po(f)
    with open(os.path.join(I18N, "ckanext-ogpguatemala.mo"), "rb") as f:
        mo = gettext.GNUTranslations(f)
    messages = [m for m in catalog if m.id]
    assert messages, "empty catalogue"
    for message in messages:
        assert message.string, "untranslated: %r" % message.id
        assert mo.gettext(message.id) == message.string, (
            "%r: run `pybabel compile -d ckanext/ogpguatemala/i18n -D ckanext-ogpguatemala`"
            % message.id)


def test_every_interface_string_has_a_spanish_translation():
    """Every _('…') in the templates and modules is in the Spanish catalogue."""
    import re

    root = os.path.join(os.path.dirname(__file__), "..", "ckanext", "ogpguatemala")
    pattern = re.compile(r"""\b_\((['"])(.+?)\1\)""")
    used = set()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith((".html", ".py")):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    used.update(m.group(2) for m in pattern.finditer(f.read()))
    with open(os.path.join(I18N, "ckanext-ogpguatemala.po"), "rb") as f:
        translated = {m.id for m in read_po(f) if m.id and m.string}
    assert used, "no interface strings found"
    assert sorted(used - translated) == []
