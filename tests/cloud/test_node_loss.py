"""Losing a SolrCloud node: CKAN, talking to node 1 of a 2-node cluster whose
collection has 2 shards x 2 replicas, keeps answering searches (with every
dataset, facets included) while node 2 -- the leader of both shards -- goes
away, accepts writes once node 1's replicas have taken over, and node 2
catches up when it returns.

Runs in `make test-cloud` (the cluster of services/solr.sh with
OGP_SOLR_MODE=cloud; the fixture starts it if it is not running).
"""
import os
import threading
import time

import pytest
import requests

import ckan.tests.helpers as helpers

from tests.conftest import ROOT, service_script
from tests.helpers import valid

PORT = int(os.environ.get("OGP_SOLR_PORT", "8985"))
COLLECTION = "ckan_test"
NODE_URLS = ["http://127.0.0.1:%d/solr" % PORT, "http://127.0.0.1:%d/solr" % (PORT + 1)]
ENV = dict(os.environ, OGP_SOLR_MODE="cloud", OGP_SOLR_PORT=str(PORT))
TYPES = ["dataset", "sinsan-nutricion", "oc4ids-proyecto", "mintrab-movilidad", "conamigua-informe"]

pytestmark = [pytest.mark.ckan_config("solr_url", "%s/%s" % (NODE_URLS[0], COLLECTION)),
              pytest.mark.usefixtures("cloud", "stack")]


def solr(*args):
    service_script("solr.sh", *args, env=ENV)


@pytest.fixture(scope="module")
def cloud():
    solr("start")
    yield
    solr("node", "start", "1")  # leave both nodes up for the tests that follow
    solr("node", "start", "2")


def cluster(node=0):
    """{shard: {node name: (state, is leader)}} as node `node` sees it, and
    the live nodes."""
    status = requests.get(NODE_URLS[node] + "/admin/collections", timeout=30, params={
        "action": "CLUSTERSTATUS", "collection": COLLECTION, "wt": "json"}).json()["cluster"]
    shards = {
        shard: {r["node_name"]: (r["state"], r.get("leader") == "true") for r in s["replicas"].values()}
        for shard, s in status["collections"][COLLECTION]["shards"].items()}
    return shards, status["live_nodes"]


def replica_cores():
    """{shard: [URL of each replica's core]}."""
    status = requests.get(NODE_URLS[0] + "/admin/collections", timeout=30, params={
        "action": "CLUSTERSTATUS", "collection": COLLECTION, "wt": "json"}).json()["cluster"]
    return {shard: ["%s/%s" % (r["base_url"], r["core"]) for r in s["replicas"].values()]
            for shard, s in status["collections"][COLLECTION]["shards"].items()}


def node_name(node):
    return "127.0.0.1:%d_solr" % (PORT + node)


def wait_for(predicate, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    try:
        state = cluster(1)
    except requests.RequestException as error:
        state = error
    raise AssertionError("cluster did not reach the state in %d s: %s" % (seconds, state))


def all_active():
    shards, live = cluster()
    return len(live) == 2 and all(
        len(replicas) == 2 and all(state == "active" for state, _ in replicas.values())
        for replicas in shards.values())


def search(**params):
    return helpers.call_action("package_search", context={"user": "", "ignore_auth": False},
                               **params)


def test_search_answers_while_the_leader_node_goes_away(app, capsys):
    shards, live = cluster()
    assert len(shards) == 2 and all(len(r) == 2 for r in shards.values()), shards
    # every node holds a replica of every shard
    assert all(set(r) == {node_name(0), node_name(1)} for r in shards.values()), shards

    site = helpers.call_action("get_site_user", context={"ignore_auth": True})
    ctx = {"user": site["name"]}
    org = helpers.call_action("organization_create", context=dict(ctx), name="sesan")
    for i in range(20):
        extra = {"oc4ids_id": "oc4ids-gt0001-nube-%02d" % i} if TYPES[i % 5] == "oc4ids-proyecto" else {}
        helpers.call_action("package_create", context=dict(ctx), **valid(
            TYPES[i % len(TYPES)], name="nube-%02d" % i, owner_org=org["id"], **extra))
    before = search(q="*:*", rows=0, **{"facet.field": '["dataset_type", "ogp_commitments"]'})
    assert before["count"] == 20
    assert sum(before["facets"]["dataset_type"].values()) == 20

    # Move both shards' leadership to node 2: node 1 leaves until node 2
    # leads both shards, then returns.
    solr("node", "stop", "1")
    wait_for(lambda: all(r.get(node_name(1), ("", False))[1] for r in cluster(1)[0].values()))
    solr("node", "start", "1")
    wait_for(all_active)
    wait_for(lambda: all(leader[node_name(1)][1] for leader in cluster()[0].values()))

    # Search through CKAN (node 1) without a pause while node 2 goes away.
    answers, failures, latencies, stop = [], [], [], threading.Event()

    def searching():
        with app.flask_app.test_request_context():
            while not stop.is_set():
                try:
                    started = time.perf_counter()
                    result = search(q="*:*", rows=0, **{"facet.field": '["dataset_type"]'})
                    latencies.append(time.perf_counter() - started)
                    answers.append((result["count"],
                                    sum(result["facets"]["dataset_type"].values())))
                except Exception as error:  # what CKAN raised is the finding
                    failures.append(repr(error))

    thread = threading.Thread(target=searching)
    thread.start()
    try:
        time.sleep(1)
        solr("node", "stop", "2")
        stopped_at = time.perf_counter()
        time.sleep(2)
    finally:
        stop.set()
        thread.join(60)
    assert failures == []
    assert len(answers) > 10
    assert set(answers) == {(20, 20)}
    with capsys.disabled():
        print("\nnode 2 (leader of both shards) stopped while searching through node 1: "
              "%d searches answered, 0 failed, slowest %.0f ms, median %.0f ms"
              % (len(answers), max(latencies) * 1000,
                 sorted(latencies)[len(latencies) // 2] * 1000))

    # Node 1's replicas take over as leaders; then writes are accepted again.
    wait_for(lambda: all(r.get(node_name(0), ("", False))[1] for r in cluster()[0].values()))
    with capsys.disabled():
        print("node 1 leads both shards %.1f s after node 2 stopped"
              % (time.perf_counter() - stopped_at))
    helpers.call_action("package_create", context=dict(ctx), **valid(
        "dataset", name="nube-tras-la-caida", owner_org=org["id"]))
    assert search(q="name:nube-tras-la-caida")["count"] == 1
    assert search(q="*:*", rows=0)["count"] == 21

    # Node 2 returns, recovers what it missed and answers on its own.
    solr("node", "start", "2")
    wait_for(all_active)
    counts = {}
    for shard, replicas in replica_cores().items():
        counts[shard] = [
            requests.get(core + "/select", timeout=30, params={
                "q": "*:*", "rows": 0, "wt": "json", "distrib": "false"}).json()["response"]["numFound"]
            for core in replicas]
    # both replicas of each shard hold the same documents, 21 in all
    assert all(len(set(c)) == 1 for c in counts.values()), counts
    assert sum(c[0] for c in counts.values()) == 21, counts
