"""`make bench`: this extension against a fair baseline -- the same CKAN
plugins and the same fields per type through stock ckanext-scheming presets
(bench/baseline.py), no code of this extension -- measured in the same run
on the same machine, at 1,000 and 10,000 datasets (BENCH_SIZES).

For each size: a catalogue of that size per side is loaded through the
action API (bench/load.py; each kept between runs), then BENCH_ROUNDS rounds alternate the
sides (bench/worker.py, one process per side and round, best round kept).
Prints the table and writes it to bench/RESULTS.md with the machine, the
date and the command.
"""
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sides  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000 10000").split()]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
CLOUD = os.environ.get("BENCH_CLOUD", "1") != "0"
RESULTS = os.path.join(sides.ROOT, "bench", "RESULTS.md")

# (key, label, compared with the baseline)
ACTIONS = [("create_ms", "package_create"), ("update_ms", "package_update"),
           ("show_ms", "package_show")]
SHARED_PAGES = [("search_ms", "package_search + 8 facets"), ("home_ms", "GET / (home)"),
                ("search_page_ms", "GET /dataset/"), ("search_page_q_ms", "GET /dataset/?q=salud"),
                ("catalog_ttl_ms", "GET /catalog.ttl?page=1")]
PER_TYPE_PAGES = [("dataset_page_ms", "GET /<type>/<name>"), ("dataset_ttl_ms", "GET /dataset/<name>.ttl")]
OGP_PAGES = [("compromisos_ms", "GET /compromisos"), ("compromiso_ms", "GET /compromisos/PAN6-C3"),
             ("observatorio_ms", "GET /observatorio"),
             ("observatorio_export_ms", "GET /observatorio/datos/institutions.csv"),
             ("oc4ids_package_ms", "GET /oc4ids/paquete.json")]


def log(message):
    print("==> " + message, file=sys.stderr, flush=True)


def run(*args, **kwargs):
    out = subprocess.run(list(args), cwd=sides.ROOT, capture_output=True, text=True, **kwargs)
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-3000:] + out.stderr[-4000:])
        raise SystemExit("failed: %s" % " ".join(args))
    return out.stdout


def prepare():
    """The benchmark's Solr, and each catalogue's config, database and organizations."""
    os.makedirs(sides.BENCH, exist_ok=True)
    log("Starting the benchmark's Solr on port %d" % sides.SOLR_PORT)
    sides.script("solr.sh", "start", env=sides.solr_env(SIZES))
    baseline = os.path.join(sides.BENCH, "baseline")
    log("Writing the baseline schemas (bench/baseline.py) to %s" % baseline)
    written = run(sys.executable, os.path.join(sides.ROOT, "bench", "baseline.py"),
                  os.path.join(sides.ROOT, "test.ini"), baseline).split()
    with open(os.path.join(sides.ROOT, "test.ini")) as f:
        plugins = next(line.split("=", 1)[1].split() for line in f
                       if line.startswith("ckan.plugins"))
    for side, n in [(side, n) for n in SIZES for side in sides.SIDES]:
        cat = sides.catalogue(side, n)
        ini = sides.ini(cat)
        shutil.copy(os.path.join(sides.ROOT, "test.ini"), ini)
        settings = [
            "sqlalchemy.url=%s/%s" % (sides.PG, sides.database(cat)),
            "solr_url=%s" % sides.solr_url(cat),
            "ckan.redis.url=redis://127.0.0.1:%s/9" % os.environ.get("OGP_REDIS_PORT", "6379"),
            "ckan.harvest.mq.redis_db=9",
            "ckan.site_url=http://127.0.0.1:5000",
            "ckan.storage_path=%s" % os.path.join(sides.BENCH, cat + "-storage"),
            "licenses_group_url=file://%s/ckanext/ogpguatemala/data/licenses.json" % sides.ROOT,
            "ckanext.xloader.jobs_db.uri=sqlite:///%s/xloader-jobs-%s.db" % (sides.BENCH, cat),
            "ckanext.ogpguatemala.checks_async=true",
        ]
        if side == "plain":
            settings += [
                "ckan.plugins=%s" % " ".join(p for p in plugins if p != "ogpguatemala"),
                "scheming.dataset_schemas=%s" % " ".join("file://" + p for p in written),
                "scheming.presets=ckanext.scheming:presets.json",
                "ckanext.dcat.rdf.profiles=euro_dcat_ap_3",
            ]
        run(sides.CKAN, "config-tool", ini, *settings)
        sides.script("postgres.sh", "createdb", sides.database(cat))
        run(sides.CKAN, "-c", ini, "db", "init")
        run(sides.CKAN, "-c", ini, "db", "pending-migrations", "--apply")
        if side == "ogp":
            run(sides.CKAN, "-c", ini, "ogpguatemala", "load-registry")
        else:
            run(sys.executable, os.path.join(sides.ROOT, "bench", "load.py"), cat, "--orgs")


def measure(side, n):
    out = run(sys.executable, os.path.join(sides.ROOT, "bench", "worker.py"),
              sides.catalogue(side, n), str(n))
    return json.loads(out.strip().splitlines()[-1])


def index_mb(side, n):
    import requests

    core = sides.solr_core(sides.catalogue(side, n))
    status = requests.get("http://127.0.0.1:%d/solr/admin/cores" % sides.SOLR_PORT, timeout=60,
                          params={"action": "STATUS", "core": core, "wt": "json"})
    return status.json()["status"][core]["index"]["sizeInBytes"] / 1e6


def main():
    started = time.time()
    prepare()
    results = {}  # n -> side -> best figures
    for n in SIZES:
        for side in sides.SIDES:
            subprocess.run([sys.executable, os.path.join(sides.ROOT, "bench", "load.py"),
                            sides.catalogue(side, n), str(n)], cwd=sides.ROOT, check=True)
        rounds = {side: [] for side in sides.SIDES}
        for r in range(ROUNDS):  # alternate the sides so drift hits both
            for side in sides.SIDES:
                log("%d datasets, round %d/%d: %s" % (n, r + 1, ROUNDS, side))
                rounds[side].append(measure(side, n))
        results[n] = {side: {k: min(x[k] for x in rs) for k in rs[0] if "_ms" in k or k.endswith("_mb")}
                      for side, rs in rounds.items()}
        for side in sides.SIDES:
            results[n][side]["index_mb"] = index_mb(side, n)
    table = report(results)
    if CLOUD:
        log("SolrCloud phase: a node lost while searching (bench/cloud.py)")
        table += cloud_report(json.loads(run(sys.executable, os.path.join(
            sides.ROOT, "bench", "cloud.py"), sides.catalogue("ogp", SIZES[0])).strip().splitlines()[-1]))
    print(table)
    with open(RESULTS, "w") as f:
        f.write(header(time.time() - started) + table)
    log("wrote %s" % RESULTS)


def header(seconds):
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = ", %.0f GB RAM" % (kb / 1024 / 1024)
    except (OSError, StopIteration):
        pass
    return (
        "# Benchmark results\n\n"
        "Written by `make bench` (bench/bench.py); do not edit by hand.\n\n"
        "- **Date:** %s\n- **Machine:** %s, %d cores%s, %s, Python %s\n"
        "- **Command:** `make bench` (BENCH_SIZES=\"%s\", BENCH_ROUNDS=%d, BENCH_REPEAT=%s), %.0f min\n"
        "- **Sides:** *plain* = CKAN 2.12 with the same plugins minus this extension and the same "
        "fields per type through stock ckanext-scheming presets (bench/baseline.py), ckanext-dcat's "
        "DCAT-AP 3 profile; *ogp* = this extension as the portal runs it. Same database server, "
        "Solr and machine, measured in the same run, best of %d rounds.\n"
        "- Times are milliseconds per call (the first call of each kind is a warm-up and is not "
        "counted); pages are requested as an anonymous visitor through the Flask test client. "
        "The extension keeps the DCAT catalogue pages and the OC4IDS package in Redis until the "
        "public catalogue changes (catalogue_cache.py): their plain rows are served from it, and "
        "the \"not from the cache\" row is the page as the first request after a change gets it.\n\n"
        % (datetime.date.today().isoformat(), cpu, os.cpu_count(), mem, platform.platform(),
           platform.python_version(), " ".join(map(str, SIZES)), ROUNDS,
           os.environ.get("BENCH_REPEAT", "25"), seconds / 60, ROUNDS))


def report(results):
    sizes = sorted(results)
    lines = []

    def row(label, key, compare=True):
        cells = [label]
        for n in sizes:
            p, o = results[n]["plain"].get(key), results[n]["ogp"].get(key)
            cells += ["%.1f" % p if p is not None else "–", "%.1f" % o]
            if compare:
                cells.append("**%.2f×**" % (o / p) if p else "–")
        if len(sizes) > 1:
            first, last = results[sizes[0]]["ogp"][key], results[sizes[-1]]["ogp"][key]
            cells.append("%.2f×" % (last / first) if first else "–")
        lines.append("| " + " | ".join(cells) + " |")

    head = ["operation"]
    for n in sizes:
        head += ["plain %s" % format(n, ","), "ogp %s" % format(n, ","), "ratio"]
    if len(sizes) > 1:
        head.append("ogp growth %s→%s" % (format(sizes[0], ","), format(sizes[-1], ",")))
    lines.append("## Against the fair baseline\n")
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for key, label in ACTIONS:
        for t in sides.TYPES:
            row("%s (%s)" % (label, t), "%s/%s" % (key, t))
    for key, label in SHARED_PAGES:
        row(label, key)
    for key, label in PER_TYPE_PAGES:
        for t in sides.TYPES:
            row("%s (%s)" % (label, t), "%s/%s" % (key, t))
    for n in sizes:  # the plain side keeps no cache: its one figure is a cold page
        results[n]["plain"]["catalog_ttl_cold_ms"] = results[n]["plain"]["catalog_ttl_ms"]
    row("GET /catalog.ttl?page=1, not from the cache", "catalog_ttl_cold_ms")
    row("peak memory of the CKAN process (MB)", "max_rss_mb")
    row("Solr index (MB)", "index_mb")

    lines.append("\n## The extension's own pages against `/dataset/` at the same size\n")
    head = ["page"]
    for n in sizes:
        head += ["ogp %s (ms)" % format(n, ","), "÷ /dataset/"]
    if len(sizes) > 1:
        head.append("growth %s→%s" % (format(sizes[0], ","), format(sizes[-1], ",")))
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for key, label in OGP_PAGES + [("catalog_ttl_ms", "GET /catalog.ttl?page=1"),
                                   ("catalog_ttl_cold_ms", "GET /catalog.ttl?page=1, not from the cache")]:
        cells = [label]
        for n in sizes:
            o, base = results[n]["ogp"][key], results[n]["ogp"]["search_page_ms"]
            cells += ["%.1f" % o, "**%.2f×**" % (o / base)]
        if len(sizes) > 1:
            cells.append("%.2f×" % (results[sizes[-1]]["ogp"][key] / results[sizes[0]]["ogp"][key]))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def cloud_report(c):
    """The SolrCloud phase's section of RESULTS.md."""
    def when(label, part):
        return "| %s | %d | %s | %s |" % (label, part["n"], part.get("median_ms", "–"),
                                           part.get("slowest_ms", "–"))

    return "\n".join([
        "\n## SolrCloud: a node lost during the run\n",
        "The %s catalogue (%s public datasets) indexed in a collection of 2 shards × 2 replicas "
        "on 2 nodes (bench/cloud.py, %.0f s to index); CKAN talks to node 1. Node 2 is made the "
        "leader of both shards, then stopped while `package_search` (all datasets or a word, 20 "
        "rows, 8 facets) runs without a pause.\n" % (c["catalogue"], format(c["public"], ","),
                                                     c["index_s"]),
        "| searches | answered | median (ms) | slowest (ms) |",
        "|---|---|---|---|",
        when("before node 2 stops", c["before"]),
        when("from the stop until node 1 leads both shards", c["while"]),
        when("after", c["after"]),
        "",
        "- **%d searches answered, %d failed**; %d of %d searches of all datasets found every "
        "public dataset." % (c["answered"], c["failed"], c["searches_of_all_with_every_dataset"],
                             c["searches_of_all"]),
        "- Node 1 led both shards %.1f s after node 2 was told to stop; a dataset created then "
        "was %s." % (c["node1_leads_after_s"], "indexed and found" if c["write_accepted"]
                     else "**not found**"),
        "- Node 2 was back and active %.1f s after it started again; both replicas of each shard "
        "%s (%s documents)." % (c["node2_active_after_s"],
                                "hold the same documents" if c["replicas_agree"] else "**differ**",
                                format(c["documents"], ",")),
    ]) + "\n"


if __name__ == "__main__":
    main()
