"""Losing a SolrCloud node: CKAN, talking to node 1 of a 2-node cluster whose
collection has 2 shards x 2 replicas, keeps answering searches (with every
dataset, facets included) while node 2 -- the leader of both shards -- goes
away, accepts writes once node 1's replicas have taken over, and node 2
catches up when it returns.

Runs in `make test-cloud` (the cluster of services/solr.sh with
OGP_SOLR_MODE=cloud; the fixture starts it if it is not running).
"""
import os
import time

import pytest

import ckan.tests.helpers as helpers

from tests.conftest import service_script
from tests.helpers import valid
from tests.solrcloud import Cluster, Searching

CLUSTER = Cluster(int(os.environ.get("OGP_SOLR_PORT", "8985")), "ckan_test", service_script)
TYPES = ["dataset", "sinsan-nutricion", "oc4ids-proyecto", "mintrab-movilidad", "conamigua-informe"]

pytestmark = [pytest.mark.ckan_config("solr_url", CLUSTER.url(0)),
              pytest.mark.usefixtures("cloud", "stack")]


@pytest.fixture(scope="module")
def cloud():
    CLUSTER.solr("start")
    yield
    CLUSTER.solr("node", "start", "1")  # leave both nodes up for the tests that follow
    CLUSTER.solr("node", "start", "2")


def search(**params):
    return helpers.call_action("package_search", context={"user": "", "ignore_auth": False},
                               **params)


def test_search_answers_while_the_leader_node_goes_away(app, capsys):
    shards, live = CLUSTER.shards()
    assert len(shards) == 2 and all(len(r) == 2 for r in shards.values()), shards
    # every node holds a replica of every shard
    assert all(set(r) == {CLUSTER.node_name(0), CLUSTER.node_name(1)} for r in shards.values()), shards

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

    # Move both shards' leadership to node 2 (node 1 leaves until it does).
    CLUSTER.move_leadership_to(1)

    # Search through CKAN (node 1) without a pause while node 2 goes away.
    def facets():
        result = search(q="*:*", rows=0, **{"facet.field": '["dataset_type"]'})
        return result["count"], sum(result["facets"]["dataset_type"].values())

    with Searching(facets, app.flask_app.test_request_context) as load:
        time.sleep(1)
        CLUSTER.solr("node", "stop", "2")
        stopped_at = time.perf_counter()
        time.sleep(2)
    assert load.failures == []
    assert len(load.answers) > 10
    assert set(load.answers) == {(20, 20)}
    latencies = load.latencies()
    with capsys.disabled():
        print("\nnode 2 (leader of both shards) stopped while searching through node 1: "
              "%d searches answered, 0 failed, slowest %.0f ms, median %.0f ms"
              % (len(load.answers), latencies[-1] * 1000, latencies[len(latencies) // 2] * 1000))

    # Node 1's replicas take over as leaders; then writes are accepted again.
    CLUSTER.wait_for(lambda: CLUSTER.leads_all(0))
    with capsys.disabled():
        print("node 1 leads both shards %.1f s after node 2 stopped"
              % (time.perf_counter() - stopped_at))
    helpers.call_action("package_create", context=dict(ctx), **valid(
        "dataset", name="nube-tras-la-caida", owner_org=org["id"]))
    assert search(q="name:nube-tras-la-caida")["count"] == 1
    assert search(q="*:*", rows=0)["count"] == 21

    # Node 2 returns, recovers what it missed and answers on its own.
    CLUSTER.solr("node", "start", "2")
    CLUSTER.wait_for(CLUSTER.all_active)
    counts = CLUSTER.replica_counts()
    # both replicas of each shard hold the same documents, 21 in all
    assert all(len(set(c)) == 1 for c in counts.values()), counts
    assert sum(c[0] for c in counts.values()) == 21, counts
