"""A SolrCloud of services/solr.sh (OGP_SOLR_MODE=cloud) seen through its
Collections API: who leads each shard, which nodes live, and stopping or
starting a node. Shared by the node-loss test (tests/cloud/) and the
benchmark's node-loss phase (bench/cloud.py)."""
import os
import time

import requests


class Cluster:
    """``run(*args, env=...)`` runs one of the project's scripts in
    services/ (conftest.service_script, bench/sides.script)."""

    def __init__(self, port, collection, run, env=None):
        self.port, self.collection, self.run = port, collection, run
        self.env = dict(env or os.environ, OGP_SOLR_MODE="cloud", OGP_SOLR_PORT=str(port))
        self.node_urls = ["http://127.0.0.1:%d/solr" % port, "http://127.0.0.1:%d/solr" % (port + 1)]

    def url(self, node=0):
        return "%s/%s" % (self.node_urls[node], self.collection)

    def solr(self, *args):
        """services/solr.sh ARGS with this cluster's settings."""
        self.run("solr.sh", *args, env=self.env)

    def _status(self, node=0):
        return requests.get(self.node_urls[node] + "/admin/collections", timeout=30, params={
            "action": "CLUSTERSTATUS", "collection": self.collection, "wt": "json"}).json()["cluster"]

    def shards(self, node=0):
        """({shard: {node name: (state, is leader)}} as node `node` sees it,
        the live nodes)."""
        status = self._status(node)
        shards = {
            shard: {r["node_name"]: (r["state"], r.get("leader") == "true")
                    for r in s["replicas"].values()}
            for shard, s in status["collections"][self.collection]["shards"].items()}
        return shards, status["live_nodes"]

    def replica_counts(self):
        """{shard: [documents in each replica's core]}."""
        status = self._status()
        return {shard: [requests.get("%s/%s/select" % (r["base_url"], r["core"]), timeout=30, params={
                    "q": "*:*", "rows": 0, "wt": "json", "distrib": "false"}).json()["response"]["numFound"]
                        for r in s["replicas"].values()]
                for shard, s in status["collections"][self.collection]["shards"].items()}

    def node_name(self, node):
        return "127.0.0.1:%d_solr" % (self.port + node)

    def wait_for(self, predicate, seconds=90):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if predicate():
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        try:
            state = self.shards(1)
        except requests.RequestException as error:
            state = error
        raise AssertionError("cluster did not reach the state in %d s: %s" % (seconds, state))

    def all_active(self):
        shards, live = self.shards()
        return len(live) == 2 and all(
            len(replicas) == 2 and all(state == "active" for state, _ in replicas.values())
            for replicas in shards.values())

    def leads_all(self, node, seen_from=0):
        return all(r.get(self.node_name(node), ("", False))[1]
                   for r in self.shards(seen_from)[0].values())

    def move_leadership_to(self, node):
        """Make `node` (0 or 1) the leader of every shard: the other node
        leaves until it does, then returns."""
        other = 1 - node
        self.solr("node", "stop", str(other + 1))
        self.wait_for(lambda: self.leads_all(node, seen_from=node))
        self.solr("node", "start", str(other + 1))
        self.wait_for(self.all_active)
        self.wait_for(lambda: self.leads_all(node))


class Searching:
    """``search()`` called without a pause in a thread while the block runs
    (inside ``within()``, e.g. a Flask request context): what it answered,
    what it raised, and how long each call took (s, with its start time)."""

    def __init__(self, search, within):
        import threading

        self.search, self.within = search, within
        self.answers, self.failures, self.calls = [], [], []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop)

    def _loop(self):
        with self.within():
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    self.answers.append(self.search())
                except Exception as error:  # what CKAN raised is the finding
                    self.failures.append(repr(error))
                self.calls.append((started, time.perf_counter() - started))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(60)

    def latencies(self, since=0.0):
        return sorted(took for started, took in self.calls if started >= since)
