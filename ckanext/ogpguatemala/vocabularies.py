"""Controlled vocabularies with Spanish and English labels.

Pure Python: no CKAN imports. Every vocabulary is an ordered list of entries
``{"value": ..., "label": {"es": ..., "en": ...}, "uri": ...}``; ``uri`` is
``None`` where no official URI exists.

``FREQUENCIES``
    The EU Publications Office *frequency* authority table. Values are the
    authority codes (``"MONTHLY"``), URIs
    ``http://publications.europa.eu/resource/authority/frequency/<CODE>``.
    Only codes that exist in that table are listed. "Three times a year"
    (*cuatrimestral*) is ``ANNUAL_3`` there; the table has no ``TRIANNUAL``
    code (:func:`normalise_frequency` still reads "triannual" as ANNUAL_3).

``LANGUAGES``
    Languages a Guatemalan dataset may be in. Two value forms:

    * Spanish and English use the EU *language* authority code, upper case:
      ``"SPA"``, ``"ENG"`` (URIs
      ``http://publications.europa.eu/resource/authority/language/<CODE>``).
    * Guatemala's Mayan languages, Garífuna and Xinka use their ISO 639-3
      code, lower case (``"quc"`` K'iche', ``"cab"`` Garífuna, ``"xin"``
      Xinka ...). None of them has an ISO 639-2 (Library of Congress) code,
      so their URI is the ISO 639-3 registration authority's page
      ``https://iso639-3.sil.org/code/<code>``.

    Of the 22 Mayan languages recognised in Guatemala, Chalchiteko has no
    ISO 639-3 code of its own and is not listed (21 are).

``COUNTRIES`` / :func:`countries`
    ISO 3166-1 countries from the ``pycountry`` package, value = alpha-2
    code (``"GT"``), Spanish names from pycountry's ``iso3166-1``
    translations, sorted by Spanish name (accents ignored). The short
    common name is used where ISO has one ("Bolivia", "Corea del Sur").
    ``uri`` is the EU *country* authority URI, which uses the alpha-3 code
    (``http://publications.europa.eu/resource/authority/country/GTM``).
    Built on first use, not at import.

Helpers take the vocabulary itself or its name (``"frequencies"``,
``"languages"``, ``"countries"``).
"""
from __future__ import annotations

import functools
import re

from ckanext.ogpguatemala.text import fold

__all__ = [
    "FREQUENCIES",
    "LANGUAGES",
    "COUNTRIES",
    "countries",
    "vocabulary",
    "choices",
    "label",
    "uri",
    "by_uri",
    "is_valid",
    "normalise_frequency",
]

DEFAULT_LANG = "es"
LANGS = ("es", "en")

EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
SIL_ISO639_3 = "https://iso639-3.sil.org/code/"


def _entry(value, es, en, uri=None, **extra):
    entry = {"value": value, "label": {"es": es, "en": en}, "uri": uri}
    entry.update(extra)
    return entry


# --------------------------------------------------------------------------
# Frequencies
# --------------------------------------------------------------------------

# (code, Spanish label, English label), shortest interval first.
_FREQUENCY_ROWS = [
    ("1MIN", "Cada minuto", "Every minute"),
    ("5MIN", "Cada cinco minutos", "Every five minutes"),
    ("10MIN", "Cada diez minutos", "Every ten minutes"),
    ("15MIN", "Cada quince minutos", "Every fifteen minutes"),
    ("30MIN", "Cada treinta minutos", "Every thirty minutes"),
    ("HOURLY", "Cada hora", "Hourly"),
    ("BIHOURLY", "Cada dos horas", "Every two hours"),
    ("TRIHOURLY", "Cada tres horas", "Every three hours"),
    ("12HRS", "Cada doce horas", "Every twelve hours"),
    ("DAILY_2", "Dos veces al día", "Twice a day"),
    ("DAILY", "Diaria", "Daily"),
    ("WEEKLY_5", "Cinco veces por semana", "Five times a week"),
    ("WEEKLY_3", "Tres veces por semana", "Three times a week"),
    ("WEEKLY_2", "Dos veces por semana", "Semiweekly (twice a week)"),
    ("WEEKLY", "Semanal", "Weekly"),
    ("MONTHLY_3", "Tres veces al mes", "Three times a month"),
    ("BIWEEKLY", "Cada dos semanas", "Biweekly (every two weeks)"),
    ("MONTHLY_2", "Quincenal (dos veces al mes)", "Semimonthly (twice a month)"),
    ("MONTHLY", "Mensual", "Monthly"),
    ("BIMONTHLY", "Bimestral (cada dos meses)", "Bimonthly (every two months)"),
    ("QUARTERLY", "Trimestral", "Quarterly"),
    ("ANNUAL_3", "Cuatrimestral (tres veces al año)", "Three times a year"),
    ("ANNUAL_2", "Semestral (dos veces al año)", "Semiannual (twice a year)"),
    ("ANNUAL", "Anual", "Annual"),
    ("BIENNIAL", "Bienal (cada dos años)", "Biennial (every two years)"),
    ("TRIENNIAL", "Trienal (cada tres años)", "Triennial (every three years)"),
    ("QUADRENNIAL", "Cuatrienal (cada cuatro años)", "Quadrennial (every four years)"),
    ("QUINQUENNIAL", "Quinquenal (cada cinco años)", "Quinquennial (every five years)"),
    ("DECENNIAL", "Decenal (cada diez años)", "Decennial (every ten years)"),
    ("BIDECENNIAL", "Cada veinte años", "Bidecennial (every twenty years)"),
    ("TRIDECENNIAL", "Cada treinta años", "Tridecennial (every thirty years)"),
    ("CONT", "Continua", "Continuous"),
    ("UPDATE_CONT", "Actualización continua", "Continuously updated"),
    ("IRREG", "Irregular", "Irregular"),
    ("AS_NEEDED", "Según sea necesario", "As needed"),
    ("OP_DATPRO", "Datos provisionales", "Provisional data"),
    ("NOT_PLANNED", "No planificada", "Not planned"),
    ("NEVER", "Nunca", "Never"),
    ("UNKNOWN", "Desconocida", "Unknown"),
    ("OTHER", "Otra", "Other"),
]

FREQUENCIES: list[dict] = [
    _entry(code, es, en, EU_FREQUENCY + code) for code, es, en in _FREQUENCY_ROWS
]

# Extra spellings :func:`normalise_frequency` understands, besides codes,
# URIs and the labels above (whole, and the parts outside/inside brackets).
_FREQUENCY_ALIASES = {
    "CONT": ["continuo", "continuamente", "tiempo real", "real time", "realtime",
             "continuously", "continual"],
    "UPDATE_CONT": ["actualizacion continua", "actualizado continuamente"],
    "HOURLY": ["horaria", "horario", "por hora", "every hour", "each hour"],
    "DAILY": ["diario", "diariamente", "cada dia", "todos los dias", "every day",
              "each day", "per day"],
    "DAILY_2": ["twice daily", "dos veces por dia", "2 veces al dia"],
    "WEEKLY": ["semanalmente", "cada semana", "every week", "each week"],
    "WEEKLY_2": ["semiweekly", "semi weekly", "twice a week", "twice weekly"],
    "WEEKLY_3": ["three times a week"],
    "BIWEEKLY": ["catorcenal", "fortnightly", "every two weeks", "every 2 weeks",
                 "cada 2 semanas", "cada catorce dias", "cada 14 dias"],
    "MONTHLY_2": ["quincenal", "bimensual", "semimonthly", "semi monthly",
                  "twice a month", "twice monthly", "dos veces por mes", "cada quince dias",
                  "cada 15 dias"],
    "MONTHLY_3": ["three times a month", "tres veces por mes"],
    "MONTHLY": ["mensualmente", "cada mes", "every month", "each month", "monthly"],
    "BIMONTHLY": ["bimestral", "cada dos meses", "cada 2 meses", "every two months",
                  "every 2 months"],
    "QUARTERLY": ["trimestralmente", "cada tres meses", "cada 3 meses", "every three months",
                  "every 3 months", "quarter", "quarterly"],
    "ANNUAL_3": ["cuatrimestral", "cuatrimestralmente", "tres veces al ano",
                 "tres veces por ano", "cada cuatro meses", "cada 4 meses",
                 "three times a year", "three times per year", "every four months",
                 "every 4 months", "triannual", "triannually", "tri annual"],
    "ANNUAL_2": ["semestral", "semestralmente", "bianual", "dos veces al ano",
                 "dos veces por ano", "cada seis meses", "cada 6 meses", "semiannual",
                 "semi annual", "semiannually", "biannual", "biannually", "half yearly",
                 "twice a year", "every six months", "every 6 months"],
    "ANNUAL": ["anualmente", "cada ano", "una vez al ano", "annually", "yearly", "every year",
               "each year", "once a year"],
    "BIENNIAL": ["bienal", "cada dos anos", "cada 2 anos", "every two years",
                 "every 2 years", "biennially"],
    "TRIENNIAL": ["trienal", "cada tres anos", "cada 3 anos", "every three years",
                  "every 3 years"],
    "QUADRENNIAL": ["cuatrienal", "cada cuatro anos", "cada 4 anos", "every four years",
                    "every 4 years"],
    "QUINQUENNIAL": ["quinquenal", "cada cinco anos", "cada 5 anos", "every five years",
                     "every 5 years"],
    "DECENNIAL": ["decenal", "cada diez anos", "cada 10 anos", "every ten years",
                  "every 10 years"],
    "IRREG": ["irregularmente", "irregularly", "eventual", "esporadica", "esporadico",
              "sporadic"],
    "AS_NEEDED": ["segun necesidad", "cuando sea necesario", "a demanda", "on demand"],
    "NEVER": ["no se actualiza", "not updated"],
    "UNKNOWN": ["desconocido", "no se sabe"],
    "OTHER": ["otro", "otros"],
}


# --------------------------------------------------------------------------
# Languages
# --------------------------------------------------------------------------

def _sil(code: str) -> str:
    return SIL_ISO639_3 + code


# (ISO 639-3 code, Spanish label, English label): the Mayan languages
# recognised in Guatemala (Academia de Lenguas Mayas names), then Garífuna
# and Xinka.
_INDIGENOUS_LANGUAGES = [
    ("acr", "Achi", "Achi"),
    ("knj", "Akateko", "Akateko"),
    ("agu", "Awakateko", "Awakateko"),
    ("caa", "Ch'orti'", "Ch'orti'"),
    ("cac", "Chuj", "Chuj"),
    ("itz", "Itza'", "Itza'"),
    ("ixl", "Ixil", "Ixil"),
    ("jac", "Jakalteko (Popti')", "Jakalteko (Popti')"),
    ("cak", "Kaqchikel", "Kaqchikel"),
    ("quc", "K'iche'", "K'iche'"),
    ("mam", "Mam", "Mam"),
    ("mop", "Mopán", "Mopan"),
    ("poc", "Poqomam", "Poqomam"),
    ("poh", "Poqomchi'", "Poqomchi'"),
    ("kjb", "Q'anjob'al", "Q'anjob'al"),
    ("kek", "Q'eqchi'", "Q'eqchi'"),
    ("quv", "Sakapulteko", "Sakapulteko"),
    ("qum", "Sipakapense", "Sipakapense"),
    ("ttc", "Tektiteko", "Tektiteko"),
    ("tzj", "Tz'utujil", "Tz'utujil"),
    ("usp", "Uspanteko", "Uspanteko"),
    ("cab", "Garífuna", "Garifuna"),
    ("xin", "Xinka", "Xinka"),
]

LANGUAGES: list[dict] = [
    _entry("SPA", "Español", "Spanish", EU_LANGUAGE + "SPA"),
    _entry("ENG", "Inglés", "English", EU_LANGUAGE + "ENG"),
] + [_entry(code, es, en, _sil(code)) for code, es, en in _INDIGENOUS_LANGUAGES]


# --------------------------------------------------------------------------
# Countries (pycountry, built on first use)
# --------------------------------------------------------------------------

# Corrections to pycountry's Spanish catalogue (26.2.16 leaves "Algeria"
# untranslated and misspells "Costa de Marfil").
_SPANISH_COUNTRY_FIXES = {
    "DZ": "Argelia",
    "CI": "Costa de Marfil",
}


@functools.lru_cache(maxsize=1)
def _countries() -> tuple:
    import gettext

    import pycountry

    es = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["es"])
    catalog = getattr(es, "_catalog", {})

    def spanish(c) -> str:
        if c.alpha_2 in _SPANISH_COUNTRY_FIXES:
            return _SPANISH_COUNTRY_FIXES[c.alpha_2]
        common = getattr(c, "common_name", None)
        if common and common in catalog:
            return catalog[common]
        return es.gettext(c.name)

    entries = []
    for c in pycountry.countries:
        english = getattr(c, "common_name", None) or c.name
        entries.append(
            _entry(c.alpha_2, spanish(c), english, EU_COUNTRY + c.alpha_3, alpha_3=c.alpha_3)
        )
    entries.sort(key=lambda e: (fold(e["label"]["es"]), e["value"]))
    return tuple(entries)


def countries() -> list[dict]:
    """ISO 3166-1 countries, ``value`` alpha-2, ordered by Spanish name.

    Built once, on first call (needs ``pycountry``); returns a new list
    each time over the same entry dicts, which must not be modified.
    """
    return list(_countries())


def __getattr__(name):  # PEP 562: ``vocabularies.COUNTRIES`` on demand
    if name == "COUNTRIES":
        return countries()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

_NAMED = {
    "frequencies": lambda: FREQUENCIES,
    "frequency": lambda: FREQUENCIES,
    "languages": lambda: LANGUAGES,
    "language": lambda: LANGUAGES,
    "countries": lambda: _countries(),
    "country": lambda: _countries(),
}


def vocabulary(vocab):
    """The entry list for a vocabulary given by name or as the list itself."""
    if isinstance(vocab, str):
        try:
            return _NAMED[vocab.strip().lower()]()
        except KeyError:
            raise ValueError(f"unknown vocabulary: {vocab!r}") from None
    return vocab


def _build_index(entries):
    by_value = {e["value"]: e for e in entries}
    by_uri_map = {e["uri"]: e["value"] for e in entries if e.get("uri")}
    return by_value, by_uri_map


@functools.lru_cache(maxsize=1)
def _country_index():
    return _build_index(_countries())


_STATIC_INDEXES = {id(FREQUENCIES): _build_index(FREQUENCIES), id(LANGUAGES): _build_index(LANGUAGES)}


def _index(entries):
    """(value -> entry, uri -> value) for a vocabulary list; the module's
    own vocabularies are indexed once, any other list on each call."""
    if entries is FREQUENCIES or entries is LANGUAGES:
        return _STATIC_INDEXES[id(entries)]
    if isinstance(entries, tuple) and entries is _countries():
        return _country_index()
    return _build_index(entries)


def _lang(lang) -> str:
    # ckanext-scheming calls a choices_helper with the field dict.
    if isinstance(lang, str):
        lang = lang.split("_")[0].split("-")[0].lower()
        if lang in LANGS:
            return lang
    return DEFAULT_LANG


def _text(entry, lang) -> str:
    labels = entry["label"]
    return labels.get(lang) or labels.get(DEFAULT_LANG) or labels.get("en") or entry["value"]


def choices(vocab, lang="es") -> list[dict]:
    """``[{"value": ..., "label": <label in lang>}, ...]`` in vocabulary
    order, for ckanext-scheming. Unknown languages fall back to Spanish."""
    lang = _lang(lang)
    return [{"value": e["value"], "label": _text(e, lang)} for e in vocabulary(vocab)]


def label(vocab, value, lang="es") -> str | None:
    """Label of ``value`` in ``lang`` (Spanish if that language is not
    available), or None if the value is not in the vocabulary."""
    if not isinstance(value, str):
        return None
    entry = _index(vocabulary(vocab))[0].get(value)
    return _text(entry, _lang(lang)) if entry else None


def uri(vocab, value) -> str | None:
    """Official URI of ``value`` (None if unknown or it has none)."""
    if not isinstance(value, str):
        return None
    entry = _index(vocabulary(vocab))[0].get(value)
    return entry.get("uri") if entry else None


def by_uri(vocab, uri_) -> str | None:
    """Value whose URI is ``uri_`` (exact match, also with https/http swapped
    or a trailing slash), or None."""
    if not isinstance(uri_, str):
        return None
    uris = _index(vocabulary(vocab))[1]
    candidate = uri_.strip()
    for form in (candidate, candidate.rstrip("/")):
        if form in uris:
            return uris[form]
        for a, b in (("https://", "http://"), ("http://", "https://")):
            if form.startswith(a) and b + form[len(a):] in uris:
                return uris[b + form[len(a):]]
    return None


def is_valid(vocab, value) -> bool:
    """Whether ``value`` is exactly one of the vocabulary's values."""
    return isinstance(value, str) and value in _index(vocabulary(vocab))[0]


# --------------------------------------------------------------------------
# Free-text frequency -> code
# --------------------------------------------------------------------------

def _compact(text: str) -> str:
    """Comparison key of a frequency spelling: :func:`text.fold` without spaces."""
    return fold(text, "")


def _build_frequency_lookup() -> dict:
    lookup: dict[str, str] = {}

    def add(text, code):
        k = _compact(text)
        if not k:
            return
        if lookup.setdefault(k, code) != code:
            raise ValueError(f"frequency spelling {text!r} means both {lookup[k]} and {code}")

    for e in FREQUENCIES:
        code = e["value"]
        add(code, code)
        for text in e["label"].values():
            add(text, code)
            m = re.fullmatch(r"\s*(.*?)\s*\((.*)\)\s*", text)
            if m:
                add(m.group(1), code)
                add(m.group(2), code)
    for code, spellings in _FREQUENCY_ALIASES.items():
        for text in spellings:
            add(text, code)
    return lookup


_FREQUENCY_LOOKUP = _build_frequency_lookup()


def normalise_frequency(text) -> str | None:
    """Frequency code from a code ("MONTHLY"), an EU authority URI, or a
    Spanish/English label or common phrase, ignoring case and accents
    ("mensual", "Cuatrimestral", "monthly", "Every four months").
    None if it cannot be read.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    code = by_uri(FREQUENCIES, text)
    if code:
        return code
    if "://" in text:
        # Another scheme's URI (e.g. http://purl.org/cld/freq/threeTimesAYear):
        # read its last segment, splitting camelCase.
        text = text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    return _FREQUENCY_LOOKUP.get(_compact(text))
