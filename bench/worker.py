"""One side of the benchmark at the catalogue's current size: its own CKAN
app (config .run/bench/SIDE.ini), actions through the action layer and pages
through the Flask test client as an anonymous visitor. Prints one JSON line
of timings (ms per call) and the process's peak memory.

    python bench/worker.py CAT N        (CAT: a catalogue SIDE_N, see sides.py)

What is created is purged at the end, so the catalogue stays at N.
"""
import json
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sides  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "25"))


def timed(fn, repeat):
    fn(0)  # warm: first call pays for imports, caches and Solr's warm-up
    start = time.perf_counter()
    for i in range(repeat):
        fn(i + 1)
    return (time.perf_counter() - start) / repeat * 1000.0


def public_of_type(dataset_type, n, count):
    """Names of `count` public catalogue datasets of the type."""
    t = sides.TYPES.index(dataset_type)
    out = [sides.name(i) for i in range(t, n, len(sides.TYPES)) if i % 10 != 9]
    return out[:count]


def main(cat, n):
    side = sides.side_of(cat)
    app, flask_app = sides.make_app(cat)
    from ckan.plugins import toolkit as tk

    import ckan.model as model

    result = {"side": side, "n": n}
    with flask_app.test_request_context():
        ctx = sides.site_context
        # what an interrupted run created and did not purge
        for (left,) in model.Session.query(model.Package.id).filter(
                model.Package.name.like("bench-x-%")).all():
            tk.get_action("dataset_purge")(ctx(), {"id": left})
        orgs = sides.org_ids()
        created = []
        for dataset_type in sides.TYPES:
            template = sides.dataset(sides.TYPES.index(dataset_type), orgs)

            def create(i, dataset_type=dataset_type, template=template):
                data = dict(template, name="bench-x-%s-%s-%d" % (side, dataset_type, i),
                            private=False, resources=[dict(r) for r in template["resources"]])
                if dataset_type == "oc4ids-proyecto":
                    data["oc4ids_id"] = "oc4ids-gt0001-bench-x-%s-%d" % (side, i)
                created.append(tk.get_action("package_create")(ctx(), data)["id"])

            result["create_ms/" + dataset_type] = timed(create, REPEAT)
            names = public_of_type(dataset_type, n, REPEAT + 1)
            shown = {nm: tk.get_action("package_show")(ctx(), {"id": nm}) for nm in names}

            def update(i, names=names, shown=shown):
                nm = names[i % len(names)]
                data = dict(shown[nm], title="Conjunto revisado %d (%.6f)" % (i, time.time()))
                shown[nm] = tk.get_action("package_update")(ctx(), data)

            result["update_ms/" + dataset_type] = timed(update, REPEAT)
            many = public_of_type(dataset_type, n, 2 * REPEAT + 1)
            result["show_ms/" + dataset_type] = timed(
                lambda i, many=many: tk.get_action("package_show")(
                    {"user": "", "ignore_auth": False}, {"id": many[i % len(many)]}), 2 * REPEAT)
        result["search_ms"] = timed(lambda i: tk.get_action("package_search")(
            {"user": "", "ignore_auth": False},
            {"q": sides.WORDS[i % len(sides.WORDS)], "rows": 20, "facet.field": sides.FACETS}),
            3 * REPEAT)

    client = flask_app.test_client()

    def page(url):
        def get(_i):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit("%s %s answered %s" % (side, url, response.status_code))
        return get

    pages = {
        "home": "/",
        "search_page": "/dataset/",
        "search_page_q": "/dataset/?q=salud",
        "catalog_ttl": "/catalog.ttl?page=1",
    }
    for dataset_type in sides.TYPES:
        one = public_of_type(dataset_type, n, 1)[0]
        pages["dataset_page/" + dataset_type] = "/%s/%s" % (dataset_type, one)
        pages["dataset_ttl/" + dataset_type] = "/dataset/%s.ttl" % one
    if side == "ogp":
        pages.update({
            "compromisos": "/compromisos",
            "compromiso": "/compromisos/PAN6-C3",
            "observatorio": "/observatorio",
            "observatorio_export": "/observatorio/datos/institutions.csv",
            "oc4ids_package": "/oc4ids/paquete.json",
        })
    for key, url in pages.items():
        base, _, dataset_type = key.partition("/")
        result[base + "_ms" + ("/" + dataset_type if dataset_type else "")] = timed(page(url), REPEAT)
    if side == "ogp":
        # the catalogue page as the first harvester after a change gets it:
        # the cache (catalogue_cache.py) told before each call that the
        # catalogue changed (the plain side keeps no cache: its figure is this)
        from ckanext.ogpguatemala import catalogue_cache

        feed = page(pages["catalog_ttl"])

        def cold(i):
            with flask_app.test_request_context():
                catalogue_cache.changed()
            feed(i)

        result["catalog_ttl_cold_ms"] = timed(cold, REPEAT)

    with flask_app.test_request_context():
        for pkg_id in created:
            tk.get_action("dataset_purge")(sides.site_context(), {"id": pkg_id})
    result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
