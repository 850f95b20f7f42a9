"""vocabularies: frequencies, languages, countries (pure Python)."""
import pytest

from ckanext.ogpguatemala import vocabularies as v
from ckanext.ogpguatemala.text import fold

EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
EU_LANG = "http://publications.europa.eu/resource/authority/language/"


def _values(vocab):
    return [e["value"] for e in v.vocabulary(vocab)]


# --- shape ----------------------------------------------------------------

@pytest.mark.parametrize("name", ["frequencies", "languages", "countries"])
def test_entries_have_the_agreed_shape(name):
    entries = v.vocabulary(name)
    assert entries
    values = [e["value"] for e in entries]
    assert len(values) == len(set(values))
    uris = [e["uri"] for e in entries if e["uri"]]
    assert len(uris) == len(set(uris))
    for e in entries:
        assert isinstance(e["value"], str) and e["value"]
        assert set(e["label"]) == {"es", "en"}
        assert e["label"]["es"] and e["label"]["en"]
        assert "uri" in e


def test_vocabulary_by_name_or_list():
    assert v.vocabulary("frequencies") is v.FREQUENCIES
    assert v.vocabulary("LANGUAGES") is v.LANGUAGES
    assert v.vocabulary(v.FREQUENCIES) is v.FREQUENCIES
    with pytest.raises(ValueError):
        v.vocabulary("licences")


# --- frequencies ----------------------------------------------------------

# Codes of the EU frequency authority table that the vocabulary must offer.
REQUIRED_FREQUENCIES = [
    "1MIN", "5MIN", "10MIN", "15MIN", "30MIN", "HOURLY", "BIHOURLY",
    "TRIHOURLY", "12HRS", "DAILY", "DAILY_2", "WEEKLY", "WEEKLY_2",
    "WEEKLY_3", "BIWEEKLY", "MONTHLY", "MONTHLY_2", "MONTHLY_3", "BIMONTHLY",
    "QUARTERLY", "ANNUAL", "ANNUAL_2", "ANNUAL_3", "BIENNIAL", "TRIENNIAL",
    "QUADRENNIAL", "QUINQUENNIAL", "DECENNIAL", "CONT", "UPDATE_CONT",
    "IRREG", "NEVER", "OP_DATPRO", "OTHER", "UNKNOWN",
]


def test_frequency_codes_present():
    values = _values("frequencies")
    for code in REQUIRED_FREQUENCIES:
        assert code in values, code


def test_frequency_codes_not_in_the_eu_table_are_absent():
    values = _values("frequencies")
    for code in ("TRIANNUAL", "1HOUR", "SEMIANNUAL", "YEARLY"):
        assert code not in values


def test_frequency_uris():
    for e in v.FREQUENCIES:
        assert e["uri"] == EU_FREQ + e["value"]
    assert v.uri("frequencies", "MONTHLY") == EU_FREQ + "MONTHLY"
    assert v.uri(v.FREQUENCIES, "ANNUAL_3") == EU_FREQ + "ANNUAL_3"
    assert v.uri("frequencies", "12HRS") == EU_FREQ + "12HRS"
    assert v.by_uri("frequencies", EU_FREQ + "QUARTERLY") == "QUARTERLY"
    assert v.by_uri("frequencies", EU_FREQ + "TRIANNUAL") is None
    assert v.by_uri("frequencies", "http://example.org/MONTHLY") is None


def test_frequency_labels():
    assert v.label("frequencies", "MONTHLY") == "Mensual"
    assert v.label("frequencies", "MONTHLY", "en") == "Monthly"
    assert v.label("frequencies", "QUARTERLY") == "Trimestral"
    assert v.label("frequencies", "ANNUAL") == "Anual"
    assert v.label("frequencies", "ANNUAL_2") == "Semestral (dos veces al año)"
    assert v.label("frequencies", "ANNUAL_3") == "Cuatrimestral (tres veces al año)"
    assert v.label("frequencies", "IRREG") == "Irregular"
    # an unknown language falls back to Spanish
    assert v.label("frequencies", "MONTHLY", "fr") == "Mensual"
    assert v.label("frequencies", "MONTHLY", "en_US") == "Monthly"
    assert v.label("frequencies", "NOPE") is None


@pytest.mark.parametrize(
    "text, code",
    [
        ("MONTHLY", "MONTHLY"),
        ("monthly", "MONTHLY"),
        ("Monthly", "MONTHLY"),
        ("mensual", "MONTHLY"),
        ("MENSUAL", "MONTHLY"),
        (" Mensual ", "MONTHLY"),
        ("cuatrimestral", "ANNUAL_3"),
        ("Cuatrimestral (tres veces al año)", "ANNUAL_3"),
        ("tres veces al ano", "ANNUAL_3"),
        ("Every four months", "ANNUAL_3"),
        ("Three times a year", "ANNUAL_3"),
        ("triannual", "ANNUAL_3"),
        ("semestral", "ANNUAL_2"),
        ("Semiannual", "ANNUAL_2"),
        ("semi-annual", "ANNUAL_2"),
        ("trimestral", "QUARTERLY"),
        ("quarterly", "QUARTERLY"),
        ("anual", "ANNUAL"),
        ("Yearly", "ANNUAL"),
        ("bimestral", "BIMONTHLY"),
        ("quincenal", "MONTHLY_2"),
        ("diario", "DAILY"),
        ("Diaria", "DAILY"),
        ("semanal", "WEEKLY"),
        ("irregular", "IRREG"),
        ("Actualización continua", "UPDATE_CONT"),
        ("tiempo real", "CONT"),
        ("annual_2", "ANNUAL_2"),
        ("12hrs", "12HRS"),
        (EU_FREQ + "MONTHLY", "MONTHLY"),
        ("https://publications.europa.eu/resource/authority/frequency/ANNUAL_3", "ANNUAL_3"),
        ("http://purl.org/cld/freq/threeTimesAYear", "ANNUAL_3"),
        ("http://purl.org/cld/freq/biweekly", "BIWEEKLY"),
    ],
)
def test_normalise_frequency(text, code):
    assert v.normalise_frequency(text) == code


@pytest.mark.parametrize("text", ["", "  ", None, 12, "sometimes maybe", "mensuales y anuales",
                                  "http://example.org/frequency/FOO", "TRIANNUALLY EVERY"])
def test_normalise_frequency_rejects(text):
    assert v.normalise_frequency(text) is None


def test_normalise_frequency_reads_every_label_and_code():
    for e in v.FREQUENCIES:
        assert v.normalise_frequency(e["value"]) == e["value"]
        assert v.normalise_frequency(e["uri"]) == e["value"]
        assert v.normalise_frequency(e["label"]["es"]) == e["value"]
        assert v.normalise_frequency(e["label"]["en"]) == e["value"]


# --- languages ------------------------------------------------------------

def test_spanish_and_english_use_eu_codes():
    assert _values("languages")[:2] == ["SPA", "ENG"]
    assert v.uri("languages", "SPA") == EU_LANG + "SPA"
    assert v.uri("languages", "ENG") == EU_LANG + "ENG"
    assert v.label("languages", "SPA") == "Español"
    assert v.label("languages", "SPA", "en") == "Spanish"
    assert v.label("languages", "ENG") == "Inglés"
    assert v.by_uri("languages", EU_LANG + "SPA") == "SPA"


def test_guatemalan_languages():
    values = _values("languages")
    mayan = ["acr", "knj", "agu", "caa", "cac", "itz", "ixl", "jac", "cak", "quc",
             "mam", "mop", "poc", "poh", "kjb", "kek", "quv", "qum", "ttc", "tzj", "usp"]
    for code in mayan + ["cab", "xin"]:
        assert code in values, code
        assert v.uri("languages", code) == "https://iso639-3.sil.org/code/" + code
    assert len(values) == 2 + len(mayan) + 2
    assert v.label("languages", "quc") == "K'iche'"
    assert v.label("languages", "kek") == "Q'eqchi'"
    assert v.label("languages", "cak") == "Kaqchikel"
    assert v.label("languages", "cab") == "Garífuna"
    assert v.label("languages", "cab", "en") == "Garifuna"
    assert v.label("languages", "xin") == "Xinka"
    assert v.by_uri("languages", "https://iso639-3.sil.org/code/mam") == "mam"


@pytest.mark.parametrize("bad", ["es", "spa", "Spanish", "QUC", "eng", "en", "", None])
def test_language_values_are_exact(bad):
    assert not v.is_valid("languages", bad)


# --- countries ------------------------------------------------------------

def test_countries_lookup_in_both_languages():
    assert v.label("countries", "GT") == "Guatemala"
    assert v.label("countries", "GT", "en") == "Guatemala"
    assert v.label("countries", "US") == "Estados Unidos"
    assert v.label("countries", "US", "en") == "United States"
    assert v.label("countries", "CA") == "Canadá"
    assert v.label("countries", "CA", "en") == "Canada"
    assert v.label("countries", "MX") == "México"
    assert v.label("countries", "ES") == "España"
    assert v.label("countries", "ES", "en") == "Spain"
    assert v.label("countries", "DZ") == "Argelia"
    assert v.label("countries", "CI") == "Costa de Marfil"
    assert v.label("countries", "BO") == "Bolivia"
    assert v.label("countries", "KR", "en") == "South Korea"


def test_countries_shape_and_order():
    entries = v.countries()
    assert len(entries) >= 249
    assert all(len(e["value"]) == 2 and e["value"].isupper() for e in entries)
    keys = [fold(e["label"]["es"]) for e in entries]
    assert keys == sorted(keys)
    assert entries[0]["label"]["es"] == "Afganistán"
    assert v.COUNTRIES == entries
    assert v.uri("countries", "GT") == "http://publications.europa.eu/resource/authority/country/GTM"


def test_country_choices():
    choices = v.choices("countries")
    assert {"value": "GT", "label": "Guatemala"} in choices
    assert {"value": "US", "label": "Estados Unidos"} in choices
    assert {"value": "US", "label": "United States"} in v.choices("countries", "en")


@pytest.mark.parametrize("bad", ["gt", "GTM", "XX", "ZZ", "", None, "Guatemala"])
def test_country_values_are_exact(bad):
    assert not v.is_valid("countries", bad)


def test_valid_values():
    assert v.is_valid("countries", "GT")
    assert v.is_valid("frequencies", "MONTHLY")
    assert v.is_valid("languages", "quc")
    assert v.is_valid(v.LANGUAGES, "SPA")


@pytest.mark.parametrize("bad", ["monthly", "Mensual", "TRIANNUAL", "MONTHLY ", EU_FREQ + "MONTHLY", "", None, 1])
def test_frequency_values_are_exact(bad):
    assert not v.is_valid("frequencies", bad)


# --- choices --------------------------------------------------------------

def test_choices():
    es = v.choices("frequencies")
    en = v.choices("frequencies", "en")
    assert [c["value"] for c in es] == _values("frequencies")
    assert {"value": "MONTHLY", "label": "Mensual"} in es
    assert {"value": "MONTHLY", "label": "Monthly"} in en
    # ckanext-scheming passes the field dict as the only argument
    assert v.choices("languages", {"field_name": "language"}) == v.choices("languages")


def test_helpers_on_a_custom_list():
    vocab = [{"value": "a", "label": {"es": "Uno", "en": "One"}, "uri": "http://x/a"}]
    assert v.choices(vocab, "en") == [{"value": "a", "label": "One"}]
    assert v.label(vocab, "a") == "Uno"
    assert v.uri(vocab, "a") == "http://x/a"
    assert v.by_uri(vocab, "http://x/a") == "a"
    assert v.is_valid(vocab, "a") and not v.is_valid(vocab, "b")
