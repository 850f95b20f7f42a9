"""geo: Guatemala's INE departments and municipalities (pure Python)."""
import collections
import csv
import os

import pytest

from ckanext.ogpguatemala import geo

# INE's list of departments and municipalities, kept apart from the copy the
# extension ships (see data/SOURCES.md).
INE_CSV = os.path.join(os.path.dirname(__file__), "data", "gt-municipios-ine.csv")


def _ine_rows():
    with open(INE_CSV, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- the data -------------------------------------------------------------

def test_counts():
    assert len(geo.DEPARTMENTS) == 22
    assert len(geo.MUNICIPALITIES) == 340


def test_department_codes_are_01_to_22_in_order():
    assert list(geo.DEPARTMENTS) == [f"{i:02d}" for i in range(1, 23)]


def test_municipalities_ordered_and_inside_their_department():
    codes = list(geo.MUNICIPALITIES)
    assert codes == sorted(codes)
    for code, (name, dep) in geo.MUNICIPALITIES.items():
        assert len(code) == 4 and code.isdigit()
        assert code[:2] == dep
        assert dep in geo.DEPARTMENTS
        assert name and name == name.strip()


def test_every_department_has_municipalities():
    for dep in geo.DEPARTMENTS:
        assert geo.municipalities_of(dep), dep


def test_counts_per_department_match_ine_list():
    rows = _ine_rows()
    expected = collections.Counter(r["departamento_codigo"] for r in rows)
    got = {dep: len(geo.municipalities_of(dep)) for dep in geo.DEPARTMENTS}
    assert got == dict(expected)


def test_names_match_ine_list_exactly():
    rows = _ine_rows()
    assert len(rows) == 340
    for r in rows:
        code = r["municipio_codigo"]
        assert geo.MUNICIPALITIES[code] == (r["municipio"], r["departamento_codigo"])
        assert geo.DEPARTMENTS[r["departamento_codigo"]] == r["departamento"]


def test_packaged_csv_is_utf8_with_header():
    with open(geo.DATA_FILE, encoding="utf-8") as f:
        header = f.readline().strip()
    assert header == "departamento_codigo,departamento,municipio_codigo,municipio"


def test_known_departments():
    assert geo.DEPARTMENTS["01"] == "Guatemala"
    assert geo.DEPARTMENTS["03"] == "Sacatepéquez"
    assert geo.DEPARTMENTS["09"] == "Quetzaltenango"
    assert geo.DEPARTMENTS["14"] == "Quiché"
    assert geo.DEPARTMENTS["17"] == "Petén"
    assert geo.DEPARTMENTS["22"] == "Jutiapa"


def test_known_counts():
    assert len(geo.municipalities_of("01")) == 17
    assert len(geo.municipalities_of("13")) == 33  # Huehuetenango, the most
    assert len(geo.municipalities_of("18")) == 5   # Izabal, the fewest


# --- code look-ups --------------------------------------------------------

def test_code_lookups():
    assert geo.municipality_name("0101") == "Guatemala"
    assert geo.department_of("0101") == "01"
    assert geo.department_name(geo.department_of("0101")) == "Guatemala"
    assert geo.municipality_name("0901") == "Quetzaltenango"
    assert geo.department_of("0901") == "09"
    assert geo.municipality_name("1401") == "Santa Cruz del Quiché"
    assert geo.municipality_name("0301") == "Antigua Guatemala"
    assert geo.department_name("16") == "Alta Verapaz"


@pytest.mark.parametrize("bad", ["00", "23", "1", "", None, 1, "0101"])
def test_department_name_unknown(bad):
    assert geo.department_name(bad) is None


@pytest.mark.parametrize("bad", ["0100", "0118", "2218", "101", "01", "", None, 101])
def test_municipality_lookups_unknown(bad):
    assert geo.municipality_name(bad) is None
    assert geo.department_of(bad) is None


def test_municipalities_of():
    assert geo.municipalities_of("18") == ["1801", "1802", "1803", "1804", "1805"]
    assert geo.municipalities_of("99") == []
    assert geo.municipalities_of(None) == []
    # a copy: callers cannot damage the index
    geo.municipalities_of("18").append("9999")
    assert len(geo.municipalities_of("18")) == 5


# --- normalise ------------------------------------------------------------

def test_normalise():
    assert geo.normalise("Quetzaltenango") == "quetzaltenango"
    assert geo.normalise("QUETZALTENANGO") == "quetzaltenango"
    assert geo.normalise(" quetzaltenángo ") == "quetzaltenango"
    assert geo.normalise("San  José,  Pinula.") == "san jose pinula"
    assert geo.normalise("Dueñas") == "duenas"
    assert geo.normalise("K'iche'") == "kiche"
    assert geo.normalise("") == ""


# --- find_department ------------------------------------------------------

@pytest.mark.parametrize(
    "text, code",
    [
        ("01", "01"),
        ("1", "01"),
        (" 9 ", "09"),
        ("22", "22"),
        ("Guatemala", "01"),
        ("GUATEMALA", "01"),
        ("Sacatepequez", "03"),
        ("Sacatepéquez", "03"),
        ("sacatepéquez", "03"),
        ("Quiché", "14"),
        ("Quiche", "14"),
        ("El Quiché", "14"),
        ("el quiche", "14"),
        ("Petén", "17"),
        ("El Petén", "17"),
        ("El Progreso", "02"),
        ("Totonicapan", "08"),
        ("alta verapaz", "16"),
        ("  Baja   Verapaz ", "15"),
    ],
)
def test_find_department(text, code):
    assert geo.find_department(text) == code


@pytest.mark.parametrize("text", ["0", "00", "23", "99", "101", "", "  ", None, "Chiapas", "Verapaz"])
def test_find_department_rejects(text):
    assert geo.find_department(text) is None


# --- find_municipality ----------------------------------------------------

@pytest.mark.parametrize(
    "text, code",
    [
        ("0101", "0101"),
        ("101", "0101"),
        ("0901", "0901"),
        ("Quetzaltenango", "0901"),
        ("QUETZALTENANGO", "0901"),
        (" quetzaltenángo ", "0901"),
        ("Mixco", "0108"),
        ("Cobán", "1601"),
        ("coban", "1601"),
        ("San Miguel Dueñas", "0313"),
        ("San Miguel Duenas", "0313"),
        ("Santa Cruz del Quiché", "1401"),
        ("Antigua Guatemala", "0301"),
        ("Zunil", "0916"),  # INE writes "Zuníl"
        ("Jerez", "2208"),  # INE writes "Jeréz"
        # official names that INE's list spells differently
        ("San Miguel Petapa", "0117"),
        ("Santiago Sacatepéquez", "0306"),
        ("Melchor de Mencos", "1711"),
        ("Santiago Chimaltenango", "1330"),
        ("San Ildefonso Ixtahuacán", "1309"),
        ("Quesada", "2217"),
    ],
)
def test_find_municipality(text, code):
    assert geo.find_municipality(text) == code


@pytest.mark.parametrize(
    "name, departments",
    [
        ("San José", {"05": "0509", "17": "1702"}),
        ("Santa Bárbara", {"10": "1015", "13": "1310"}),
        ("San Pedro Sacatepéquez", {"01": "0109", "12": "1202"}),
        ("Concepción", {"07": "0708", "13": "1322"}),
        ("San Lorenzo", {"10": "1007", "12": "1229"}),
        ("La Libertad", {"13": "1311", "17": "1705"}),
        ("La Democracia", {"05": "0503", "13": "1312"}),
    ],
)
def test_ambiguous_names_need_a_department(name, departments):
    assert geo.find_municipality(name) is None
    assert geo.find_municipality(geo.normalise(name)) is None
    for dep, code in departments.items():
        assert geo.find_municipality(name, dep) == code
        assert geo.find_municipality(name, department=geo.DEPARTMENTS[dep]) == code
        assert geo.find_municipality(name.upper(), geo.normalise(geo.DEPARTMENTS[dep])) == code


def test_ambiguous_name_with_department_by_loose_name():
    assert geo.find_municipality("san jose", "peten") == "1702"
    assert geo.find_municipality("Santa Barbara", "Suchitepequez") == "1015"
    assert geo.find_municipality("Santa Bárbara", "13") == "1310"
    assert geo.find_municipality("San José", "5") == "0509"


def test_every_unique_name_resolves_to_its_code():
    counts = collections.Counter(geo.normalise(n) for n, _ in geo.MUNICIPALITIES.values())
    for code, (name, dep) in geo.MUNICIPALITIES.items():
        # with its department, every name resolves
        assert geo.find_municipality(name, dep) == code
        if counts[geo.normalise(name)] == 1:
            assert geo.find_municipality(name) == code


def test_find_municipality_department_must_agree():
    assert geo.find_municipality("Mixco", "01") == "0108"
    assert geo.find_municipality("Mixco", "Quetzaltenango") is None
    assert geo.find_municipality("0101", "09") is None
    assert geo.find_municipality("0101", "Guatemala") == "0101"
    assert geo.find_municipality("Mixco", "Atlantis") is None
    assert geo.find_municipality("Mixco", "") == "0108"  # blank = not given


@pytest.mark.parametrize("text", ["0000", "0118", "9999", "12345", "", " ", None, "Tegucigalpa", "San"])
def test_find_municipality_rejects(text):
    assert geo.find_municipality(text) is None


# --- choices --------------------------------------------------------------

def test_department_choices():
    choices = geo.department_choices()
    assert len(choices) == 22
    assert choices[0] == {"value": "01", "label": "Guatemala"}
    assert choices[8] == {"value": "09", "label": "Quetzaltenango"}
    assert [c["value"] for c in choices] == list(geo.DEPARTMENTS)
    assert geo.department_choices("en") == choices


def test_municipality_choices():
    choices = geo.municipality_choices()
    assert len(choices) == 340
    by_value = {c["value"]: c["label"] for c in choices}
    assert by_value["0101"] == "Guatemala (Guatemala)"
    assert by_value["0901"] == "Quetzaltenango (Quetzaltenango)"
    assert by_value["0509"] == "San José (Escuintla)"
    assert by_value["1702"] == "San José (Petén)"
    assert len(set(by_value.values())) == 340  # labels tell every place apart


def test_choices_accept_scheming_field_dict():
    # ckanext-scheming calls choices_helper(field)
    field = {"field_name": "geo_departments", "choices_helper": "x"}
    assert geo.department_choices(field) == geo.department_choices()
    assert geo.municipality_choices(field) == geo.municipality_choices()
