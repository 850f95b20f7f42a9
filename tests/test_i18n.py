"""The extension's messages go through its gettext catalogue: every message
the code and templates can show is extracted, has a Spanish translation
keeping its placeholders, and the compiled catalogue (built by `make`, not
committed) says what the .po says. No message is built as a Spanish/English
pair any more."""
import gettext
import os
import re
import subprocess

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = os.path.join(os.path.dirname(__file__), "..")
PKG = os.path.join(ROOT, "ckanext", "ogpguatemala")
I18N = os.path.join(PKG, "i18n")
PO = os.path.join(I18N, "es", "LC_MESSAGES", "ckanext-ogpguatemala.po")
MO = os.path.join(I18N, "es", "LC_MESSAGES", "ckanext-ogpguatemala.mo")
POT = os.path.join(I18N, "ckanext-ogpguatemala.pot")
KEYWORDS = {"_": None, "N_": None, "translate": None, "gettext": None, "ngettext": (1, 2)}


def _extracted():
    """The msgids the code and templates use now, as `make i18n` extracts them."""
    from babel.messages.frontend import parse_mapping_cfg

    with open(os.path.join(ROOT, "babel.cfg")) as f:
        method_map, options_map = parse_mapping_cfg(f)
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            PKG, method_map, options_map, keywords=KEYWORDS):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def _catalog(path):
    with open(path, "rb") as f:
        return read_po(f)


def test_every_message_of_the_code_is_translated():
    used = _extracted()
    assert len(used) > 150, "extraction found too little: %d" % len(used)
    translated = {m.id: m.string for m in _catalog(PO) if m.id}
    missing = sorted(i for i in used if not translated.get(i))
    assert missing == [], "run `make i18n` and translate: %r" % missing[:20]
    template = {m.id for m in _catalog(POT) if m.id}
    assert used <= template, "the .pot is stale: run `make i18n`"


def test_translations_keep_the_placeholders():
    for message in _catalog(PO):
        if not message.id or not message.string:
            continue
        named = re.compile(r"%\((\w+)\)[sd]")
        assert sorted(named.findall(message.id)) == sorted(named.findall(message.string)), message.id
        assert message.id.count("%s") == message.string.count("%s"), message.id


def test_compiled_catalogue_matches_the_po():
    assert os.path.exists(MO), "the catalogue is compiled by `make` (services/i18n.sh compile)"
    with open(MO, "rb") as f:
        mo = gettext.GNUTranslations(f)
    for message in _catalog(PO):
        if message.id:
            assert mo.gettext(message.id) == message.string, (
                "%r: run services/i18n.sh compile" % message.id)


def test_the_compiled_catalogue_is_not_committed():
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert tracked == []


def test_no_message_is_a_spanish_english_pair():
    """The old `both(es, en)` joined both languages with ' / '."""
    offenders = []
    for folder, _dirs, files in os.walk(PKG):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                if re.search(r"\bboth\(|Message\(|\"es\": *\"[^\"]+\", *\"en\":", text):
                    offenders.append(os.path.relpath(path, PKG))
    assert offenders == []
