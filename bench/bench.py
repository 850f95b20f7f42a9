"""`make bench`: this extension against plain CKAN + ckanext-scheming,
measured in the same run on the same database, Solr core and machine.
Prints absolute numbers and the ratio ogp / plain for each operation."""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = int(os.environ.get("BENCH_N", "200"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
METRICS = [
    ("create_ms", "package_create (ms)"),
    ("show_ms", "package_show (ms)"),
    ("search_ms", "package_search + facets (ms)"),
    ("home_page_ms", "GET / home page (ms)"),
    ("search_page_ms", "GET /dataset/ (ms)"),
    ("dataset_page_ms", "GET /dataset/<name> (ms)"),
    ("max_rss_mb", "peak memory (MB)"),
]


def run(side):
    out = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "worker.py"), side, str(N)],
                         cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        raise SystemExit("benchmark worker %s failed" % side)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    results = {"plain": [], "ogp": []}
    for _ in range(ROUNDS):  # alternate sides so drift hits both
        for side in ("plain", "ogp"):
            results[side].append(run(side))
    best = {side: {k: min(r[k] for r in rs) for k in rs[0] if k.endswith(("_ms", "_mb"))}
            for side, rs in results.items()}
    print("Benchmark: %d datasets, best of %d rounds (plain = CKAN 2.12 + ckanext-scheming)"
          % (N, ROUNDS))
    print("%-32s %12s %12s %8s" % ("operation", "plain", "ogp", "ratio"))
    for key, label in METRICS:
        p, o = best["plain"][key], best["ogp"][key]
        print("%-32s %12.1f %12.1f %7.2fx" % (label, p, o, o / p if p else float("nan")))
    for key, label in (("commitment_page_ms", "GET /compromisos/PAN6-C3 (ms)"),
                       ("observatorio_page_ms", "GET /observatorio (ms)"),
                       ("observatory_export_ms", "GET /observatorio/datos/*.csv (ms)"),
                       ("observatory_action_ms", "ogp_observatory_show (ms)")):
        if key in best["ogp"]:
            print("%-32s %12s %12.1f" % (label, "-", best["ogp"][key]))


if __name__ == "__main__":
    main()
