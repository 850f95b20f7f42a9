"""One publisher of tests/test_concurrent_publishers.py, run as its own
process: an institution's editor who creates datasets through the API with
ckanapi, revises each one after the next is created, and now and then
edits one of the datasets every publisher shares.

    python tests/publisher.py URL TOKEN WORKER COUNT < job.json

job.json: {"templates": [dataset dict, ...], "owner_org": id,
"shared": [dataset id, ...]}. Prints one JSON line: the names created, the
calls made and every error (nothing is retried).
"""
import json
import sys
import time

from ckanapi import RemoteCKAN


def main(url, token, worker, count):
    job = json.load(sys.stdin)
    api = RemoteCKAN(url, apikey=token, user_agent="ogp-publisher/%s" % worker)
    created, errors, calls = [], [], 0
    started = time.monotonic()

    def call(action, **data):
        nonlocal calls
        calls += 1
        try:
            return api.call_action(action, data)
        except Exception as error:  # every failure is reported, none retried
            errors.append("%s %s: %s %s" % (action, data.get("name") or data.get("id"),
                                            type(error).__name__, str(error)[:300]))
            return None

    templates = job["templates"]
    for i in range(count):
        name = "pub-w%d-%03d" % (worker, i)
        data = dict(templates[(worker + i) % len(templates)], name=name,
                    owner_org=job["owner_org"],
                    title="Publicador %d, conjunto %d" % (worker, i))
        if "oc4ids_id" in data:  # an infrastructure project's own identifier
            data["oc4ids_id"] = "oc4ids-gt0001-%s" % name
        if call("package_create", **data):
            created.append(name)
        if i:  # the previous dataset's second version
            previous = "pub-w%d-%03d" % (worker, i - 1)
            call("package_patch", id=previous, notes="Versión 2 de %s." % previous,
                 version="2.0")
        if i % 5 == 4:  # everyone edits the shared datasets
            shared = job["shared"][(worker + i) % len(job["shared"])]
            call("package_patch", id=shared, title="Compartido: publicador %d, paso %d"
                 % (worker, i))
    if created:
        last = created[-1]
        call("package_patch", id=last, notes="Versión 2 de %s." % last, version="2.0")
    print(json.dumps({"worker": worker, "created": created, "calls": calls, "errors": errors,
                      "seconds": round(time.monotonic() - started, 1)}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
