"""One side of the benchmark: a CKAN app with a given plugin set, on the
test database and Solr core. Prints one JSON line of timings and memory.

    python bench/worker.py plain|ogp N
"""
import json
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SIDES = {
    # plain CKAN + ckanext-scheming with scheming's own example dataset schema
    "plain": {
        "ckan.plugins": "scheming_datasets",
        "scheming.dataset_schemas": "ckanext.scheming:ckan_dataset.yaml",
        "scheming.presets": "ckanext.scheming:presets.json",
    },
    # this extension as the portal runs it
    "ogp": {},
}


def _test_helpers():
    """tests/helpers.py of this project (complete valid datasets per type)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "ogp_test_helpers", os.path.join(ROOT, "tests", "helpers.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed(fn, repeat):
    start = time.perf_counter()
    for i in range(repeat):
        fn(i)
    return (time.perf_counter() - start) / repeat * 1000.0  # ms per call


def main(side, n):
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    conf = load_config(os.path.join(ROOT, "test.ini"))
    conf.update(SIDES[side])
    app = make_app(conf)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app.apps["flask_app"]._wsgi_app

    import ckan.model as model
    from ckan.lib.search import clear_all
    from ckan.plugins import toolkit as tk

    with flask_app.test_request_context():
        model.repo.rebuild_db()
        if side == "ogp":
            from ckan.cli.db import _run_migrations
            _run_migrations("activity")
            _run_migrations("ogpguatemala")
        clear_all()
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
        ctx = lambda: {"user": site_user["name"], "ignore_auth": True}  # noqa: E731
        org = tk.get_action("organization_create")(ctx(), {"name": "mspas"})

        valid = _test_helpers().valid

        def dataset(i):
            if side == "plain":
                return {"name": "bench-%d" % i, "title": "Conjunto %d" % i,
                        "notes": "Descripción", "owner_org": org["id"]}
            types = ["dataset", "sinsan-nutricion", "mintrab-movilidad", "conamigua-informe"]
            return valid(types[i % 4], name="bench-%d" % i, title="Conjunto %d" % i,
                         owner_org=org["id"])

        result = {"side": side, "n": n}
        result["create_ms"] = timed(lambda i: tk.get_action("package_create")(ctx(), dataset(i)), n)
        result["show_ms"] = timed(
            lambda i: tk.get_action("package_show")(ctx(), {"id": "bench-%d" % (i % n)}), n)
        facets = ["organization", "tags", "res_format"]
        if side == "ogp":
            facets += ["ogp_plans", "ogp_commitments", "ogp_milestones", "geo_departments"]
        result["search_ms"] = timed(lambda i: tk.get_action("package_search")(
            {"user": ""}, {"q": "Conjunto", "rows": 20, "facet.field": facets}), n)

    client = flask_app.test_client()
    result["home_page_ms"] = timed(lambda i: client.get("/"), max(n // 4, 5))
    result["search_page_ms"] = timed(lambda i: client.get("/dataset/"), max(n // 4, 5))
    result["dataset_page_ms"] = timed(
        lambda i: client.get("/dataset/bench-%d" % (i % n)), max(n // 4, 5))
    if side == "ogp":
        pages = max(n // 4, 5)
        result["commitment_page_ms"] = timed(lambda i: client.get("/compromisos/PAN6-C3"), pages)
        result["observatorio_page_ms"] = timed(lambda i: client.get("/observatorio"), pages)
        result["observatory_export_ms"] = timed(
            lambda i: client.get("/observatorio/datos/institutions.csv"), pages)
        with flask_app.test_request_context():
            result["observatory_action_ms"] = timed(lambda i: tk.get_action(
                "ogp_observatory_show")({"user": ""}, {}), pages)
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
