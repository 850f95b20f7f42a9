"""The benchmark's SolrCloud phase: the extension's catalogue of the first
size, indexed in a SolrCloud collection (2 nodes, 2 shards x 2 replicas,
services/solr.sh with OGP_SOLR_MODE=cloud on its own ports and home), is
searched without a pause through node 1 while node 2 -- made the leader of
both shards first -- is stopped. Prints one JSON line: searches answered
and failed before, while and after the loss, their latencies, how long until
node 1 led both shards, whether a write was accepted then, and whether the
returning node caught up.

    python bench/cloud.py CAT       (CAT: a loaded catalogue, e.g. ogp_1000)
"""
import itertools
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sides  # noqa: E402
from tests.solrcloud import Cluster, Searching  # noqa: E402

PORT = int(os.environ.get("BENCH_CLOUD_PORT", "8987"))
COLLECTION = "ckan_bench_cloud"
ENV = dict(os.environ, OGP_SOLR_HOME=os.path.join(sides.BENCH, "solrcloud"),
           OGP_SOLR_CORES=COLLECTION)
CLUSTER = Cluster(PORT, COLLECTION, sides.script, ENV)
# seconds of searching before the node goes, and after node 1 leads
STEADY = 3.0


def log(message):
    print("==> " + message, file=sys.stderr, flush=True)


def ms(values):
    if not values:
        return {"n": 0}
    return {"n": len(values), "median_ms": round(values[len(values) // 2] * 1000, 1),
            "slowest_ms": round(values[-1] * 1000, 1)}


def main(cat):
    log("Starting the benchmark's SolrCloud (nodes on 127.0.0.1:%d,%d)" % (PORT, PORT + 1))
    CLUSTER.solr("start")
    app, flask_app = sides.make_app(cat, solr_url=CLUSTER.url(0))
    from ckan.lib import search as ckan_search
    from ckan.plugins import toolkit as tk

    result = {"catalogue": cat}
    with flask_app.test_request_context():
        log("Indexing %s in the collection" % cat)
        started = time.perf_counter()
        ckan_search.rebuild(force=True, defer_commit=True, quiet=True)
        ckan_search.commit()
        result["index_s"] = round(time.perf_counter() - started, 1)
        everyone = tk.get_action("package_search")(
            {"user": "", "ignore_auth": False}, {"q": "*:*", "rows": 0})["count"]
    result["public"] = everyone

    log("Making node 2 the leader of both shards")
    CLUSTER.move_leadership_to(1)

    words = sides.WORDS

    calls = itertools.count(1)

    def one_search():
        i = next(calls)
        of_all = i % 2 == 1  # every other search is of all datasets, the rest of a word
        found = tk.get_action("package_search")(
            {"user": "", "ignore_auth": False},
            {"q": "*:*", "rows": 20, "facet.field": sides.FACETS,
             "fq": "" if of_all else "text:%s" % words[i % len(words)]})
        return found["count"], of_all

    log("Searching through node 1 while node 2 is stopped")
    with Searching(one_search, flask_app.test_request_context) as load:
        time.sleep(STEADY)
        stopping = time.perf_counter()
        CLUSTER.solr("node", "stop", "2")
        stopped = time.perf_counter()
        CLUSTER.wait_for(lambda: CLUSTER.leads_all(0))
        led = time.perf_counter()
        time.sleep(STEADY)
    complete = [count for count, of_all in load.answers if of_all]
    result.update({
        "answered": len(load.answers), "failed": len(load.failures),
        "failures": load.failures[:3],
        "searches_of_all_with_every_dataset": sum(c == everyone for c in complete),
        "searches_of_all": len(complete),
        "before": ms(sorted(t for s, t in load.calls if s < stopping)),
        "while": ms(sorted(t for s, t in load.calls if stopping <= s < led)),
        "after": ms(sorted(t for s, t in load.calls if s >= led)),
        "stop_s": round(stopped - stopping, 1),
        "node1_leads_after_s": round(led - stopping, 1),
    })

    with flask_app.test_request_context():
        ctx = sides.site_context()
        data = dict(sides.dataset(0, sides.org_ids()), name="bench-x-cloud", private=False)
        data["resources"] = [dict(r) for r in data["resources"]]
        created = tk.get_action("package_create")(ctx, data)
        result["write_accepted"] = tk.get_action("package_search")(
            {"user": "", "ignore_auth": False}, {"q": "name:bench-x-cloud"})["count"] == 1
        tk.get_action("dataset_purge")(sides.site_context(), {"id": created["id"]})

    log("Node 2 returns")
    started = time.perf_counter()
    CLUSTER.solr("node", "start", "2")
    CLUSTER.wait_for(CLUSTER.all_active)
    result["node2_active_after_s"] = round(time.perf_counter() - started, 1)
    counts = CLUSTER.replica_counts()
    result["replicas_agree"] = all(len(set(c)) == 1 for c in counts.values())
    result["documents"] = sum(c[0] for c in counts.values())
    CLUSTER.solr("stop")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1])
