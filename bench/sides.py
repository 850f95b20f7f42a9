"""What the two sides of `make bench` are, and the catalogues they are loaded
with. A catalogue is a side at a size, named SIDE_N (e.g. ogp_10000): its own
CKAN config (.run/bench/SIDE_N.ini), database (ckan_bench_SIDE_N) and Solr
core (the same name, on the benchmark's own Solr, port $BENCH_SOLR_PORT,
default 8989), so a catalogue loaded once is reused by every round and by
later runs.

  ogp    this extension as the portal runs it (test.ini's plugins);
  plain  the same CKAN plugins without this extension, with the baseline
         schemas of bench/baseline.py (same fields, stock scheming presets)
         and ckanext-dcat's own DCAT-AP 3 profile only.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:  # tests/helpers.py gives the datasets their fields
    sys.path.insert(0, ROOT)
# Bind the name now: CKAN's app puts its own package directory first on
# sys.path later, where another "tests" (ckan/tests) would be found.
import tests  # noqa: E402,F401
BENCH = os.path.join(ROOT, ".run", "bench")
VENV = os.environ.get("OGP_VENV", os.path.join(ROOT, ".venv"))
CKAN = os.path.join(VENV, "bin", "ckan")
SOLR_PORT = int(os.environ.get("BENCH_SOLR_PORT", "8989"))
SIDES = ("plain", "ogp")
PG = "postgresql://%s:%s@127.0.0.1:%s" % (os.environ.get("OGP_PG_USER", "ckan"),
                                         os.environ.get("OGP_PG_PASSWORD", "ckan"),
                                         os.environ.get("OGP_PG_PORT", "5433"))

# The dataset types measured one by one (dataset_series is left out: its
# releases are datasets of these types).
TYPES = ["dataset", "sinsan-nutricion", "oc4ids-proyecto", "mintrab-movilidad", "conamigua-informe"]
# Publishers: institutions of the plan (organizations on both sides).
ORGS = ["sesan", "mspas", "mineduc", "mintrab", "conamigua", "gae", "mingob", "cpcc"]
# the facets a search page asks for (package_search in worker.py and cloud.py)
FACETS = ["organization", "tags", "res_format", "license_id", "ogp_plans", "ogp_commitments",
          "ogp_milestones", "geo_departments"]
WORDS = ["desnutrición", "escuelas", "hospitales", "movilidad laboral", "migración",
         "presupuesto", "agua potable", "salud materna", "empleo", "infraestructura"]
# Milestones the general type cycles through (commitments 1 and 5 of plan 6).
GENERAL_MILESTONES = ["PAN6-C1-H1", "PAN6-C1-H2", "PAN6-C1-H3", "PAN6-C1-H4",
                      "PAN6-C5-H1", "PAN6-C5-H2", "PAN6-C5-H3"]


def catalogue(side, n):
    return "%s_%d" % (side, n)


def side_of(cat):
    return cat.split("_")[0]


def ini(cat):
    return os.path.join(BENCH, cat + ".ini")


def database(cat):
    return "ckan_bench_" + cat


def solr_core(cat):
    return "ckan_bench_" + cat


def solr_url(cat):
    return "http://127.0.0.1:%d/solr/%s" % (SOLR_PORT, solr_core(cat))


def solr_env(sizes):
    return dict(os.environ, OGP_SOLR_PORT=str(SOLR_PORT),
                OGP_SOLR_HOME=os.path.join(BENCH, "solr"),
                OGP_SOLR_CORES=" ".join(solr_core(catalogue(s, n)) for n in sizes for s in SIDES),
                OGP_SOLR_HEAP=os.environ.get("BENCH_SOLR_HEAP", "1g"))


def script(*args, env=None):
    """Run one of the project's scripts in services/; stop the benchmark if it fails."""
    out = subprocess.run([os.path.join(ROOT, "services", args[0]), *args[1:]], cwd=ROOT,
                         env=env, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-2000:] + out.stderr[-3000:])
        raise SystemExit("services/%s failed" % " ".join(args))
    return out.stdout


def name(i):
    return "bench-%06d" % i


def dataset(i, org_ids):
    """Dataset number i of the catalogue: the same dict for both sides."""
    from tests.helpers import valid

    dataset_type = TYPES[i % len(TYPES)]
    word = WORDS[(i // len(TYPES)) % len(WORDS)]
    extra = {}
    if dataset_type == "oc4ids-proyecto":
        extra["oc4ids_id"] = "oc4ids-gt0001-bench-%06d" % i
    if dataset_type == "dataset":
        extra["ogp_milestones"] = [GENERAL_MILESTONES[(i // len(TYPES)) % len(GENERAL_MILESTONES)]]
    return valid(dataset_type, name=name(i), owner_org=org_ids[i % len(org_ids)],
                 title="%s: conjunto %d" % (word.capitalize(), i),
                 notes="Datos de %s publicados para el plan de acción (conjunto %d)." % (word, i),
                 private=(i % 10 == 9),
                 resources=[{"name": "Datos %d" % i, "format": "CSV",
                             "url": "https://datos.example.gob.gt/%s.csv" % name(i)}],
                 **extra)


def make_app(cat, **overrides):
    """The catalogue's CKAN app (the WSGI app and its Flask app)."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app as ckan_make_app

    conf = load_config(ini(cat))
    conf.update(overrides)
    app = ckan_make_app(conf)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    return app, flask_app


def site_context():
    from ckan.plugins import toolkit as tk

    user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": user["name"], "ignore_auth": True}


def org_ids():
    from ckan.plugins import toolkit as tk

    return [tk.get_action("organization_show")(site_context(), {"id": o})["id"] for o in ORGS]


def loaded_names():
    """Names of the catalogue's datasets (bench-NNNNNN) in the side's database."""
    import ckan.model as model

    rows = model.Session.query(model.Package.name).filter(
        model.Package.name.op("~")("^bench-[0-9]{6}$"), model.Package.state == "active").all()
    return {r[0] for r in rows}
