"""Concurrent publishers: several institutions' editors write at once.

A fresh CKAN of this project served as in production (`services/ckan.sh
publish-target`: gunicorn with 3 workers on 127.0.0.1:5057, its own
database and Solr core) receives, from 8 separate processes using ckanapi
(tests/publisher.py), 50 new datasets each of every type, a second version of
each, and edits of 4 datasets they all share. Afterwards PostgreSQL and Solr
must agree exactly: the same datasets, each indexed at its latest version,
and no call may have failed.
"""
import configparser
import json
import os
import subprocess
import sys
import time

import pytest
import requests
import sqlalchemy as sa

from tests.conftest import ROOT, served
from tests.helpers import VALID, valid

WORKERS = int(os.environ.get("OGP_PUBLISHERS", "8"))
PER_WORKER = int(os.environ.get("OGP_PUBLISHER_DATASETS", "50"))
SHARED = 4


# the instance the ``target`` fixture serves (conftest starts it in the
# background when the session starts)
SERVED = ("publish-target",)


@pytest.fixture(scope="module")
def target():
    yield from served(SERVED[0])


def _settings(ini):
    parser = configparser.RawConfigParser(strict=False)
    parser.read(ini)
    return dict(parser["app:main"])


def _editors(api, org, count):
    """``count`` editors of ``org``, each with an API token."""
    tokens = []
    for i in range(count):
        name = "editor-publicador-%d" % i
        api.action.user_create(name=name, email="%s@example.gob.gt" % name,
                               password="Publicador-%d-2025!" % i)
        api.action.organization_member_create(id=org["id"], username=name, role="editor")
        tokens.append(api.action.api_token_create(user=name, name="publicar")["token"])
    return tokens


def _database(settings):
    """Every active dataset as PostgreSQL holds it: {id: (name, title,
    notes, metadata_modified ISO)}."""
    engine = sa.create_engine(settings["sqlalchemy.url"])
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text(
                "SELECT id, name, title, notes, metadata_modified FROM package "
                "WHERE state = 'active' AND type <> 'harvest'")).all()
    finally:
        engine.dispose()
    return {r.id: (r.name, r.title, r.notes, r.metadata_modified.isoformat()) for r in rows}


def _index(settings):
    """Every dataset of this site in its Solr core, as indexed: {id:
    (name, title, notes, metadata_modified ISO)} from each document's
    stored data dict."""
    response = requests.get(settings["solr_url"] + "/select", timeout=60, params={
        "q": "*:*", "fq": "+site_id:%s +entity_type:package" % settings["ckan.site_id"],
        "fl": "id,validated_data_dict", "rows": 100000, "wt": "json"})
    response.raise_for_status()
    docs = response.json()["response"]["docs"]
    index = {}
    for doc in docs:
        data = json.loads(doc["validated_data_dict"])
        index[doc["id"]] = (data["name"], data["title"], data["notes"],
                            data["metadata_modified"])
    assert len(index) == len(docs), "a dataset is indexed twice"
    return index


def test_eight_publishers_at_once_leave_database_and_index_identical(target, capsys):
    api = target["api"]
    settings = _settings(target["ini"])
    org = api.action.organization_show(id="mintrab")
    tokens = _editors(api, org, WORKERS)
    shared = [api.action.package_create(**valid("dataset", name="compartido-%d" % i,
                                                owner_org=org["id"]))["id"]
              for i in range(SHARED)]
    job = json.dumps({"templates": [valid(t) for t in VALID], "owner_org": org["id"],
                      "shared": shared})

    started = time.monotonic()
    processes = [subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "tests", "publisher.py"), target["url"], token,
         str(w), str(PER_WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True, cwd=ROOT) for w, token in enumerate(tokens)]
    for process in processes:
        process.stdin.write(job)
        process.stdin.close()
    reports = []
    for process in processes:
        process.wait(timeout=1800)
        out, err = process.stdout.read(), process.stderr.read()
        assert process.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    elapsed = time.monotonic() - started

    errors = [e for r in reports for e in r["errors"]]
    calls = sum(r["calls"] for r in reports)
    created = [n for r in reports for n in r["created"]]
    with capsys.disabled():
        print("\n%d publishers: %d calls (%d datasets created) in %.0f s, %.1f writes/s, "
              "%d errors" % (WORKERS, calls, len(created), elapsed, calls / elapsed,
                             len(errors)))
    assert not errors, "\n".join(errors[:20])
    assert len(created) == WORKERS * PER_WORKER

    database, index = _database(settings), _index(settings)
    assert set(index) == set(database)
    different = {i: (database[i], index[i]) for i in database if database[i] != index[i]}
    assert not different, list(different.items())[:5]

    # each publisher's datasets are at their second version, in both
    by_name = {v[0]: v for v in database.values()}
    for name in created:
        assert by_name[name][2] == "Versión 2 de %s." % name
    # the shared datasets hold one publisher's last edit, the same in both
    for i in range(SHARED):
        assert by_name["compartido-%d" % i][1].startswith("Compartido: publicador ")
    # and the portal's search answers for every dataset
    found = api.action.package_search(q="*:*", rows=0, include_private=True)
    assert found["count"] == len(database) == WORKERS * PER_WORKER + SHARED
