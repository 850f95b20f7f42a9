"""The plan registry: contents of the built-in files and the load checks."""
import textwrap

import pytest

from ckanext.ogpguatemala.registry import BUILTIN_FILES, RegistryError, load


@pytest.fixture(scope="module")
def reg():
    return load(BUILTIN_FILES)


def test_pan6_has_6_commitments_and_20_milestones(reg):
    pan6 = reg.plans["PAN6"]
    assert len(pan6.commitments) == 6
    assert len(pan6.milestones) == 20
    assert [len(c.milestones) for c in pan6.commitments] == [4, 3, 2, 3, 3, 5]


def test_pan5_has_12_commitments(reg):
    assert len(reg.plans["PAN5"].commitments) == 12
    assert reg.plans["PAN5"].milestones == []


def test_codes_are_stable_and_hierarchical(reg):
    m = reg.milestones["PAN6-C3-H1"]
    assert m.commitment_code == "PAN6-C3" and m.plan_code == "PAN6"
    assert reg.commitments["PAN6-C3"].plan_code == "PAN6"
    assert reg.kind_of("PAN6") == "plan"
    assert reg.kind_of("PAN6-C3") == "commitment"
    assert reg.kind_of("PAN6-C3-H1") == "milestone"
    assert reg.kind_of("PAN6-C9-H1") is None


def test_commitment_titles_bilingual_and_institutions_known(reg):
    c2 = reg.commitments["PAN6-C2"]
    assert "Seguridad Alimentaria" in c2.title["es"]
    assert c2.title["en"] and c2.title["en"] != c2.title["es"]
    assert c2.institutions == ("sesan",)
    for slug in ("sesan", "mspas", "mineduc", "mintrab", "conamigua", "gae", "mingob",
                 "conaprevi", "seprem", "demi", "cpcc"):
        assert slug in reg.institutions


def test_extended_end_dates_kept(reg):
    m = reg.milestones["PAN6-C1-H1"]
    assert (m.end, m.extended_end) == ("2024-01", "2025-06")


def _write(tmp_path, name, body):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return str(path)


def test_future_plan_can_be_added_by_file(tmp_path):
    extra = _write(tmp_path, "pan7.yaml", """\
        plans:
          - code: PAN7
            number: 7
            title: {es: "7mo. Plan", en: "7th Plan"}
            start: "2025-09"
            end: "2027-08"
            commitments:
              - code: PAN7-C1
                number: 1
                title: {es: "Datos", en: "Data"}
                institutions: [gae]
                milestones:
                  - code: PAN7-C1-H1
                    number: 1
                    text: {es: "Publicar", en: "Publish"}
                    start: "2025-09"
                    end: "2026-03"
        """)
    reg = load(list(BUILTIN_FILES) + [extra])
    assert list(reg.plans)[0] == "PAN7"
    assert reg.milestones["PAN7-C1-H1"].commitment_code == "PAN7-C1"


def _pan7(commitment: str) -> str:
    """A plan PAN7 file with one commitment (a YAML flow mapping)."""
    return ("plans:\n  - {code: PAN7, number: 7, title: {es: a, en: b}, commitments: [%s]}"
            % commitment)


def _milestone(code: str, start: str, end: str) -> str:
    """A commitment PAN7-C1 with milestone number 1 coded ``code``."""
    return _pan7("{code: PAN7-C1, number: 1, title: {es: a, en: b}, milestones: [{code: %s, "
                 "number: 1, text: {es: a, en: b}, start: '%s', end: '%s'}]}" % (code, start, end))


# (file body, msgid or None for jsonschema's own English text, the message as
# rendered outside a request: English)
@pytest.mark.parametrize("body,msgid,expected", [
    ("plans: [{code: PAN7, number: 7, title: {es: a}, commitments: []}]",
     None, "plans[0] (PAN7) > title: 'en' is a required property"),
    (_pan7("{code: PAN7-C2, number: 1, title: {es: a, en: b}, milestones: []}"),
     "commitment %(code)s: code does not match plan %(plan)s and number %(number)s",
     "commitment PAN7-C2: code does not match plan PAN7 and number 1"),
    (_milestone("PAN7-C1-H2", "2026-01", "2026-05"),
     "milestone %(code)s: code does not match commitment %(commitment)s and number %(number)s",
     "milestone PAN7-C1-H2: code does not match commitment PAN7-C1 and number 1"),
    (_milestone("PAN7-C1-H1", "2026-05", "2026-01"),
     "%(code)s: end %(end)s is before start %(start)s",
     "PAN7-C1-H1: end 2026-01 is before start 2026-05"),
    (_pan7("{code: PAN7-C1, number: 1, title: {es: a, en: b}, start: '2026-01', end: '2026-05', "
           "extended_end: '2026-03', milestones: []}"),
     "%(code)s: extended_end %(extended_end)s is before end %(end)s",
     "PAN7-C1: extended_end 2026-03 is before end 2026-05"),
    (_pan7("{code: PAN7-C1, number: 1, title: {es: a, en: b}, institutions: [nadie], milestones: []}"),
     "%(code)s names institution '%(slug)s', which no registry file defines",
     "PAN7-C1 names institution 'nadie', which no registry file defines"),
    ("""plans:
  - code: PAN6
    number: 6
    title: {es: a, en: b}
    commitments: []""",
     "%(code)s is defined twice (also in %(other)s)", "PAN6 is defined twice (also in "),
    ("institutions: [{slug: sesan, acronym: SESAN, name: {es: a, en: b}}]",
     "institution %(slug)s is defined twice", "institution sesan is defined twice"),
    ("plans: [", "not valid YAML (%(error)s)", "not valid YAML ("),
])
def test_malformed_file_names_file_and_entry(tmp_path, body, msgid, expected):
    bad = _write(tmp_path, "bad.yaml", body)
    with pytest.raises(RegistryError) as exc:
        load(list(BUILTIN_FILES) + [bad])
    assert exc.value.path == bad
    assert getattr(exc.value.msg, "msgid", None) == msgid
    assert str(exc.value).startswith(bad + ": " + expected)


def test_unreadable_file_is_named(tmp_path):
    missing = str(tmp_path / "pan8.yaml")
    with pytest.raises(RegistryError) as exc:
        load([missing])
    assert exc.value.msg.msgid == "cannot read registry file (%(reason)s)"
    assert str(exc.value) == missing + ": cannot read registry file (No such file or directory)"
