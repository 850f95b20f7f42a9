"""`make bench`, tables: checking and loading MINTRAB reports of 10,000 and
200,000 rows (a large programme's month), each stage in its own process so
its peak memory is its own.

    python bench/tables.py             all sizes, prints the table
    python bench/tables.py check PATH  one check (JSON line)
    python bench/tables.py load PATH   one load into the DataStore (JSON line)

check: the streamed MINTRAB check (header, normalisation, Frictionless,
INE codes), writing the clean file the DataStore gets. load: that clean file
into the DataStore with the Table Schema's types (xloader's loader), beside
xloader's own load of the raw file as plain CKAN + xloader would do it
(every column text), in the same process and run.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
# Bind the name now: CKAN's app puts its own package directory first on
# sys.path later, where another "tests" (ckan/tests) would be found.
import tests  # noqa: E402,F401
SIZES = [int(n) for n in os.environ.get("BENCH_TABLE_ROWS", "10000 200000").split()]


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def check(path: str) -> dict:
    from ckanext.ogpguatemala import tabular

    tabular.validate_report(b"pais_destino\nUS\n")  # imports and schema loaded first
    before = _rss_mb()
    clean = path + ".clean.csv"
    start = time.perf_counter()
    result = tabular.validate_report(path, os.path.basename(path), max_bytes=500 * 2**20,
                                     clean_path=clean)
    seconds = time.perf_counter() - start
    assert result["valid"], result["errors"][:3]
    return {"check_s": seconds, "check_rows": result["rows"], "check_peak_mb": _rss_mb(),
            "check_growth_mb": _rss_mb() - before, "columns": result["columns"]}


def load(path: str) -> dict:
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    app = make_app(load_config(os.path.join(ROOT, "test.ini")))
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app.apps["flask_app"]._wsgi_app
    import ckan.plugins.toolkit as tk
    from ckanext.ogpguatemala.checks import tables
    from ckanext.ogpguatemala.datastore import load as ds_load
    from ckanext.ogpguatemala.logic.context import site_context
    from ckanext.xloader import loader

    out = {}
    with flask_app.test_request_context():
        ctx = site_context
        org = tk.get_action("organization_create")(ctx(), {"name": "bench-%s" % os.urandom(4).hex()})
        from tests.helpers import valid

        pkg = tk.get_action("package_create")(ctx(), valid(
            "dataset", name="bench-tables-%s" % os.urandom(4).hex(), owner_org=org["id"]))
        resources = [tk.get_action("resource_create")(ctx(), {
            "package_id": pkg["id"], "url": "http://127.0.0.1/%s.bin" % name, "name": name,
            "format": "bin"}) for name in ("ogp", "plain")]
        result = {"checker": "mintrab-tableschema", "columns": json.load(open(path + ".columns"))}
        before = _rss_mb()
        start = time.perf_counter()
        ds_load.load(resources[0]["id"], path + ".clean.csv",
                     tables.columns_for_load("mintrab-movilidad", result))
        out["load_s"] = time.perf_counter() - start
        out["load_growth_mb"] = _rss_mb() - before

        class Quiet:
            def __getattr__(self, name):
                return lambda *a, **k: None

        start = time.perf_counter()
        loader.load_csv(path, resource_id=resources[1]["id"], mimetype="text/csv", logger=Quiet())
        loader.calculate_record_count(resource_id=resources[1]["id"], logger=Quiet())
        out["plain_load_s"] = time.perf_counter() - start
        out["load_peak_mb"] = _rss_mb()
    return out


def _sub(*args) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), *args], cwd=ROOT,
                         capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit("bench/tables.py %s failed" % args[0])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from ckanext.ogpguatemala.demo import mintrab

    print()
    print("Tables: MINTRAB reports checked (streamed) and loaded into the DataStore")
    print("%-10s %9s %10s %11s %12s %9s %12s %10s" % (
        "rows", "MB", "check s", "check peak", "check growth", "load s", "plain load s", "load peak"))
    with tempfile.TemporaryDirectory(prefix="ogp-bench-") as tmp:
        for n in SIZES:
            path = os.path.join(tmp, "report-%d.csv" % n)
            mintrab.write_large_report(path, n)
            c = _sub("check", path)
            with open(path + ".columns", "w") as f:
                json.dump(c.pop("columns"), f)
            ld = _sub("load", path)
            print("%-10s %9.1f %10.1f %9.0f MB %9.0f MB %9.1f %12.1f %7.0f MB" % (
                f"{n:,}", os.path.getsize(path) / 2**20, c["check_s"], c["check_peak_mb"],
                c["check_growth_mb"], ld["load_s"], ld["plain_load_s"], ld["load_peak_mb"]))
    print("(check growth: peak memory above the process's after imports; plain load: xloader's"
          " own COPY of the raw file, every column text)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "check":
        print(json.dumps(check(sys.argv[2])))
    elif len(sys.argv) > 2 and sys.argv[1] == "load":
        print(json.dumps(load(sys.argv[2])))
    else:
        main()
