"""Small helpers shared by the tests (no fixtures that replace services)."""
import copy
import os

import ckan.model as model
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

# Fields every type shares, complete and valid.
COMMON = {
    "title": "Conjunto de prueba",
    "notes": "Descripción del conjunto de prueba.",
    "tags": [{"name": "prueba"}],
    "contact_name": "Unidad de Información Pública",
    "contact_email": "datos@institucion.gob.gt",
    "temporal_start": "2024-01-01",
    "temporal_end": "2024-12-31",
    "frequency": "ANNUAL",
    "language": ["SPA"],
    "version": "1.0",
    "provenance": "Registros administrativos de la institución.",
    "geo_level": "municipal",
    "geo_departments": ["09"],
    "geo_municipalities": ["0901"],
}

# One complete, valid dataset per type (without name and owner_org).
VALID = {
    "dataset": dict(COMMON, ogp_milestones=["PAN6-C1-H4"]),
    "sinsan-nutricion": dict(
        COMMON,
        ogp_milestones=["PAN6-C2-H1"],
        sinsan_pillar="utilizacion_biologica",
        indicator="Prevalencia de desnutrición crónica en menores de cinco años",
        target_population=["ninos_0_59_meses"],
        data_source="ensmi_2014_2015",
        methodology="Medición antropométrica (talla para la edad).",
        unit_of_measure="porcentaje",
        disaggregations=["sexo", "departamento"],
        reference_period="2014/2015",
    ),
    "mintrab-movilidad": dict(
        COMMON,
        ogp_milestones=["PAN6-C6-H2"],
        frequency="MONTHLY",
        reporting_month="2024-03",
        programme="movilidad_laboral_eeuu",
        destination_countries=["US", "CA"],
        employers_count=12,
        applicants_count=340,
        placed_count=215,
        source_register="Registro del Programa de Movilidad Laboral – MINTRAB",
    ),
    "conamigua-informe": dict(
        COMMON,
        ogp_milestones=["PAN6-C4-H3"],
        frequency="ANNUAL_3",
        geo_level="departamental",
        geo_departments=["13", "12"],
        geo_municipalities=[],
        report_kind="informe_cuatrimestral",
        report_year=2024,
        report_cuatrimestre="I",
        participating_institutions=["conamigua", "igm", "minex"],
        approaches=["territorial", "genero"],
        budget_executed="1250000.50",
        budget_currency="GTQ",
    ),
    "oc4ids-proyecto": dict(
        COMMON,
        ogp_milestones=["PAN6-C3-H1"],
        frequency="IRREG",
        geo_level="municipal",
        geo_departments=["01"],
        geo_municipalities=["0101"],
        oc4ids_id="oc4ids-gt0001-hospital-zona-18",
        project_status="implementation",
        project_type="construction",
        project_sector=["health"],
        purpose="Ampliar la atención hospitalaria en la zona 18.",
        public_authority="Ministerio de Salud Pública y Asistencia Social",
        budget_amount="15000000.00",
        budget_currency="GTQ",
        project_period_start="2024-02-01",
        project_period_end="2025-11-30",
        latitude="14.6349",
        longitude="-90.5069",
        contracting_processes_count=2,
    ),
}


def valid(dataset_type="dataset", **overrides):
    fields = copy.deepcopy(VALID[dataset_type])
    fields["type"] = dataset_type
    fields.update(overrides)
    return fields


def sysadmin_context():
    user = factories.Sysadmin()
    return {"user": user["name"]}


def create(context, dataset_type=None, **fields):
    """package_create with a complete valid dataset of ``dataset_type``
    (default: the general type), overridden by ``fields``."""
    data = valid(dataset_type or fields.pop("type", "dataset"), **fields)
    return helpers.call_action("package_create", context=dict(context), **data)


def dataset_count():
    """Datasets in the database, whatever their state."""
    return model.Session.query(model.Package).count()


class FileServer:
    """Serves a folder on an ephemeral 127.0.0.1 port (for linked resources
    and remote schemas) and records the paths it is asked for. Use as a
    context manager; ``server + "/path"`` is the URL of a file."""

    def __init__(self, directory):
        import http.server
        import threading

        seen = self.requests = []

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *a, **kw):
                super().__init__(*a, directory=os.path.abspath(directory), **kw)

            def do_GET(self):
                seen.append(self.path)
                super().do_GET()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def __add__(self, path):
        return self.url + path

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


I18N_DIR = os.path.join(os.path.dirname(__file__), "..", "ckanext", "ogpguatemala", "i18n")


def spanish(msgid, **params):
    """``msgid`` as the extension's compiled Spanish catalogue renders it —
    what a default-language (Spanish) page, API call or command shows."""
    import gettext

    text = gettext.translation("ckanext-ogpguatemala", I18N_DIR, ["es"]).gettext(msgid)
    return text % params if params else text


def assert_translated(report):
    """Every message of a stored check report is a catalogue message with a
    Spanish translation, and renders with its params in both languages."""
    from ckanext.ogpguatemala.messages import render

    for error in report["errors"]:
        message = error["message"]
        assert set(message) == {"msgid", "params"}, error
        assert spanish(message["msgid"]) != message["msgid"], "untranslated: %r" % message["msgid"]
        assert render(message), error


def english(message):
    """A stored message ({"msgid", "params"}, params possibly messages too)
    in English: the id with its values filled in, no catalogue involved."""
    params = {k: english(v) if isinstance(v, dict) else v
              for k, v in (message.get("params") or {}).items()}
    return message["msgid"] % params if params else message["msgid"]


# The people of the access-rule tests: organization A's members in each
# role, an editor of organization B, a registered user without organization
# and a sysadmin ("anonymous" is None).
ROLES = ("anonymous", "registered", "member_a", "editor_a", "admin_a", "editor_b", "sysadmin")


def make_people(org_a="sesan", org_b="mintrab"):
    """Create organizations A and B and the users of ROLES. Returns
    {"org_a": org, "org_b": org, "users": {role: user dict with "token"
    (None for anonymous)}}."""
    users = {"anonymous": None}
    for role in ROLES[1:]:
        factory = factories.Sysadmin if role == "sysadmin" else factories.User
        user = factory(name="persona-" + role.replace("_", "-"))
        user["token"] = factories.APIToken(user=user["name"])["token"]
        users[role] = user
    org_a = factories.Organization(name=org_a, title=org_a.upper(), users=[
        {"name": users[r]["name"], "capacity": r.split("_")[0]}
        for r in ("member_a", "editor_a", "admin_a")])
    org_b = factories.Organization(name=org_b, title=org_b.upper(), users=[
        {"name": users["editor_b"]["name"], "capacity": "editor"}])
    return {"org_a": org_a, "org_b": org_b, "users": users}


def context_of(user):
    """An action context acting as ``user`` (None: anonymous)."""
    return {"user": user["name"] if user else "", "ignore_auth": False}
