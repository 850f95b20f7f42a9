"""Loads one catalogue up to N datasets through CKAN's action API
(package_create, as a publisher's client would), with a progress bar.
Datasets already there are kept, so a catalogue of 1,000 grows to 10,000
and a second run loads nothing.

    python bench/load.py CAT N            (the parent: progress bar)
    python bench/load.py CAT N --part K/P (one of P loading processes)
    python bench/load.py CAT --orgs       (the publishers' organizations)

CAT is a catalogue (SIDE_N, see sides.py).

While loading, CKAN does not ask Solr to commit each dataset (solr_commit
off, as for a bulk load); Solr's own soft commit makes them visible, and
one commit ends the load.
"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sides  # noqa: E402

WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "2"))


def part(cat, n, k, p):
    import logging

    _app, flask_app = sides.make_app(cat, **{"ckan.search.solr_commit": "false"})
    logging.disable(logging.CRITICAL)  # the progress bar is the output
    from ckan.plugins import toolkit as tk

    with flask_app.test_request_context():
        orgs = sides.org_ids()
        have = sides.loaded_names()
        for i in range(k, n, p):
            if sides.name(i) in have:
                continue
            tk.get_action("package_create")(sides.site_context(), sides.dataset(i, orgs))


def orgs(cat):
    """The plan's institutions as organizations (the plain cat: name and title)."""
    _app, flask_app = sides.make_app(cat)
    from ckan.plugins import toolkit as tk

    with flask_app.test_request_context():
        for org in sides.ORGS:
            try:
                tk.get_action("organization_show")(sides.site_context(), {"id": org})
            except tk.ObjectNotFound:
                tk.get_action("organization_create")(sides.site_context(),
                                                     {"name": org, "title": org.upper()})


def count(cat):
    import sqlalchemy as sa

    engine = sa.create_engine("%s/%s" % (sides.PG, sides.database(cat)))
    with engine.connect() as conn:
        value = conn.execute(sa.text(
            "SELECT count(*) FROM package WHERE name ~ '^bench-[0-9]{6}$' AND state = 'active'")).scalar()
    engine.dispose()
    return value


def reindex_if_missing(cat, loaded):
    """A database kept from an earlier run beside a new Solr home (a fresh
    clone on the same PostgreSQL): index what the core lacks."""
    import requests

    found = requests.get(sides.solr_url(cat) + "/select", timeout=60, params={
        "q": "name:bench-*", "rows": 0, "wt": "json"}).json()["response"]["numFound"]
    if found < loaded:
        print("%s: Solr holds %d of %d datasets; indexing the rest" % (cat, found, loaded))
        subprocess.run([sides.CKAN, "-c", sides.ini(cat), "search-index", "rebuild", "-o", "-q"],
                       cwd=sides.ROOT, check=True)


def main(cat, n):
    import click
    import requests

    start = count(cat)
    if start >= n:
        print("%s: %d datasets already loaded" % (cat, start))
        reindex_if_missing(cat, start)
        return
    procs = [subprocess.Popen([sys.executable, __file__, cat, str(n), "--part", "%d/%d" % (k, WORKERS)])
             for k in range(WORKERS)]
    began = time.time()
    with click.progressbar(length=n - start, label="%s: loading %d -> %d datasets" % (cat, start, n),
                           show_pos=True, show_eta=True, file=sys.stderr) as bar:
        done = 0
        while any(p.poll() is None for p in procs):
            time.sleep(2)
            now = count(cat) - start
            bar.update(now - done)
            done = now
        bar.update(count(cat) - start - done)
    if any(p.returncode != 0 for p in procs):
        raise SystemExit("%s: a loading process failed" % cat)
    requests.get(sides.solr_url(cat) + "/update", params={"commit": "true"}, timeout=300)
    seconds = time.time() - began
    print("%s: loaded %d datasets in %.0f s (%.1f per second)"
          % (cat, n - start, seconds, (n - start) / seconds))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[2] == "--orgs":
        orgs(sys.argv[1])
    elif len(sys.argv) == 5 and sys.argv[3] == "--part":
        k, p = sys.argv[4].split("/")
        part(sys.argv[1], int(sys.argv[2]), int(k), int(p))
    else:
        main(sys.argv[1], int(sys.argv[2]))
