"""The feed harvested by the ecosystem's own client: a second CKAN of this
project (`services/ckan.sh harvest-target`: its own database and Solr core,
served on 127.0.0.1:5056, the plan's institutions, no data) runs
ckanext-harvest with ckanext-dcat's ``dcat_rdf_harvester`` on the live test
portal's /catalog.ttl (the `portal` fixture: demo data, uploads, OC4IDS
projects, dataset series). The harvests run with `ckan harvester run-test`
(gather, fetch and import in one process, as the queue consumers would)."""
import datetime as dt
import json
import os
import subprocess
import time

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from tests.conftest import ROOT, served

DCAT = "http://www.w3.org/ns/dcat#"
HYDRA_NEXT = URIRef("http://www.w3.org/ns/hydra/core#nextPage")
# What a harvested dataset keeps of its source (besides title and resources).
KEPT = ("notes", "ogp_milestones", "geo_level", "geo_departments", "geo_municipalities",
        "frequency", "temporal_start", "temporal_end", "contact_email", "license_id", "language")


# the instance the ``target`` fixture serves (conftest starts it in the
# background when the session starts)
SERVED = ("harvest-target",)


@pytest.fixture(scope="module")
def target():
    yield from served(SERVED[0])


def _modified(instance):
    return {d["id"]: d["metadata_modified"] for d in instance["api"].action.package_search(
        rows=1000, include_private=True)["results"]}


def _quiet(instance, jobs=True):
    """Wait until the source's background jobs (file checks, DataStore
    loads) are done: a check that ends during a harvest changes its dataset.
    Done = no queued job and nothing modified for 5 s. (The target runs no
    jobs worker: its harvested files stay queued, so only the second rule
    applies to it.)"""
    last = None
    for _ in range(180):
        queued = instance["api"].action.job_list() if jobs else []
        now = _modified(instance)
        if not queued and now == last:
            return
        last = now
        time.sleep(5)
    raise AssertionError("the background jobs of %s did not finish" % instance["url"])


def _harvest(target, source):
    out = subprocess.run([os.path.join(ROOT, ".venv", "bin", "ckan"), "-c", target["ini"],
                          "harvester", "run-test", source], cwd=ROOT, capture_output=True,
                         text=True, timeout=900)
    assert out.returncode == 0, out.stderr[-3000:]
    job = target["api"].action.harvest_source_show(id=source)["status"]["last_job"]
    assert job["status"] == "Finished", job
    return job


def _by_guid(target):
    out = {}
    for ds in target["api"].action.package_search(rows=1000, include_private=True)["results"]:
        extras = {e["key"]: e["value"] for e in ds.get("extras", [])}
        out[extras.get("guid")] = ds
    return out


@pytest.fixture(scope="module")
def harvested(portal, target):
    _quiet(portal)
    target["api"].action.harvest_source_create(
        name="portal-origen", title="Portal de origen", url=portal["url"] + "/catalog.ttl",
        source_type="dcat_rdf", owner_org="gae", frequency="MANUAL")
    job = _harvest(target, "portal-origen")
    source = portal["api"].action.package_search(rows=1000)["results"]
    return {"job": job, "source": source, "target": _by_guid(target)}


def _guid(portal, ds):
    return "%s/dataset/%s" % (portal["url"], ds["id"])


def test_the_catalogue_is_paged_and_every_page_harvested(portal, harvested):
    first = Graph().parse(data=requests.get(portal["url"] + "/catalog.ttl", timeout=120).text,
                          format="turtle")
    assert list(first.objects(None, HYDRA_NEXT)), "the demo catalogue fits one page"
    stats = harvested["job"]["stats"]
    assert stats["added"] == len(harvested["source"]) and stats["errored"] == 0, stats
    assert harvested["job"]["object_error_summary"] == []


def test_harvested_datasets_keep_what_the_source_says(portal, harvested):
    target = harvested["target"]
    for ds in harvested["source"]:
        copy = target[_guid(portal, ds)]
        assert copy["title"] == ds["title"]
        assert copy["type"] == ("dataset_series" if ds["type"] == "dataset_series" else "dataset")
        for key in KEPT:
            if ds.get(key) not in (None, "", []):
                assert copy.get(key) == ds[key], (ds["name"], key)
        assert sorted((r["url"], r["name"], r["format"]) for r in copy["resources"]) == \
            sorted((r["url"], r["name"], r["format"]) for r in ds["resources"]), ds["name"]


def test_harvested_releases_are_in_the_same_series(portal, target, harvested):
    copies = harvested["target"]
    by_id = {d["id"]: d for d in harvested["source"]}
    local = {d["id"]: d for d in copies.values()}
    releases = [d for d in harvested["source"] if d.get("in_series")]
    assert len(releases) > 40
    for ds in releases:
        copy = copies[_guid(portal, ds)]
        assert [local[i]["title"] for i in copy["in_series"]] == \
            [by_id[i]["title"] for i in ds["in_series"]], ds["name"]
    series = [d for d in harvested["source"] if d["type"] == "dataset_series"]
    assert len({copies[_guid(portal, s)]["id"] for s in series}) == len(series) == 6
    # the harvested series is navigable like the source's
    one = copies[_guid(portal, series[0])]
    shown = target["api"].action.package_show(id=one["id"])
    assert shown["series_navigation"]["count"] == sum(
        1 for d in releases if series[0]["id"] in d["in_series"])


def test_second_harvest_changes_exactly_the_updated_dataset(portal, target, harvested):
    _quiet(target, jobs=False)
    before = _modified(target)
    changed = next(d for d in harvested["source"] if d["type"] == "mintrab-movilidad")
    since = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat()
    time.sleep(1)
    portal["api"].action.package_patch(id=changed["id"], title=changed["title"] + " (corregido)")
    _quiet(portal)
    # the catalogue's modified_since lists exactly that dataset
    graph = Graph().parse(data=requests.get(portal["url"] + "/catalog.ttl",
                                            params={"modified_since": since}, timeout=60).text,
                          format="turtle")
    listed = {str(d) for d in graph.subjects(RDF.type, URIRef(DCAT + "Dataset"))}
    assert listed == {_guid(portal, changed)}
    job = _harvest(target, "portal-origen")
    _quiet(target, jobs=False)
    assert job["stats"]["updated"] == 1 and job["stats"]["added"] == 0, job["stats"]
    assert job["stats"]["not modified"] == len(harvested["source"]) - 1
    after = _modified(target)
    moved = [i for i, modified in after.items() if modified != before[i]]
    copy = harvested["target"][_guid(portal, changed)]
    assert moved == [copy["id"]]
    assert target["api"].action.package_show(id=copy["id"])["title"].endswith("(corregido)")


# ------------------------------------------------------------ incoming feeds
FEEDS = os.path.join(os.path.dirname(__file__), "data", "harvest")
FOREIGN = "municipalidad-xela.ttl"
XELA = "https://datos.xela.example.gt/dataset/"


def _harvest_here(url, org, config=None):
    """A source added by a sysadmin on this portal (the test database) and
    one harvest job run through ckanext-harvest's stages in this process."""
    import ckan.tests.helpers as helpers
    from ckanext.dcat.harvesters.rdf import DCATRDFHarvester
    from ckanext.harvest.model import HarvestJob
    from ckanext.harvest.tests.lib import run_harvest_job

    from tests.helpers import sysadmin_context

    context = dict(sysadmin_context(), ignore_auth=False)
    source = helpers.call_action(
        "harvest_source_create", context=dict(context), name="xela", title="Municipalidad",
        url=url, source_type="dcat_rdf", owner_org=org["id"],
        config=json.dumps(config) if config else "")
    job = helpers.call_action("harvest_job_create", context=dict(context),
                              source_id=source["id"], run=False)
    results = run_harvest_job(HarvestJob.get(job["id"]), DCATRDFHarvester())
    status = helpers.call_action("harvest_source_show", id=source["id"])["status"]
    return results, status


def test_a_foreign_feed_is_harvested_onto_the_general_type(stack):
    import ckan.tests.factories as factories

    from tests.helpers import FileServer

    org = factories.Organization(name="municipalidad-xela")
    with FileServer(FEEDS) as server:
        results, status = _harvest_here(server + "/" + FOREIGN, org)
    assert set(results) == {XELA + n for n in
                            ("presupuesto-2025", "mercados", "solicitudes-informacion-2025")}
    done = results[XELA + "presupuesto-2025"]
    assert done["state"] == "COMPLETE", [e.message for e in done["errors"]]
    ds = done["dataset"]
    assert ds["type"] == "dataset" and ds["owner_org"] == org["id"]
    assert ds["ogp_milestones"] == ["PAN6-C1-H4"] and ds["ogp_commitments"] == ["PAN6-C1"]
    assert (ds["frequency"], ds["contact_email"]) == ("ANNUAL", "uip@xela.example.gt")
    assert ds["geo_level"] == "nacional"
    assert [r["url"] for r in ds["resources"]] == \
        ["https://datos.xela.example.gt/files/presupuesto-2025.csv"]
    # no milestone in the feed: rejected, and the reason is in the job's log
    for name in ("mercados", "solicitudes-informacion-2025"):
        rejected = results[XELA + name]
        assert rejected["state"] == "ERROR" and "dataset" not in rejected
        messages = [e.message for e in rejected["errors"]]
        assert any("action-plan milestone" in m for m in messages), messages
    job = status["last_job"]
    assert (job["stats"]["added"], job["stats"]["errored"]) == (1, 2), job["stats"]
    assert any("action-plan milestone" in e["message"] for e in job["object_error_summary"])


def test_a_source_may_give_the_milestone_its_feed_lacks(stack):
    import ckan.tests.factories as factories

    from tests.helpers import FileServer

    org = factories.Organization(name="municipalidad-xela")
    config = {"defaults": {"ogp_milestones": ["PAN6-C1-H2"], "geo_level": "nacional"}}
    with FileServer(FEEDS) as server:
        results, status = _harvest_here(server + "/" + FOREIGN, org, config)
    assert status["last_job"]["stats"]["added"] == 3, status["last_job"]
    milestones = {guid: r["dataset"]["ogp_milestones"] for guid, r in results.items()}
    # the feed's own link wins over the source's default
    assert milestones[XELA + "presupuesto-2025"] == ["PAN6-C1-H4"]
    assert milestones[XELA + "mercados"] == ["PAN6-C1-H2"]


def test_a_bad_source_configuration_is_refused(stack):
    import ckan.tests.factories as factories
    import ckan.tests.helpers as helpers
    from ckan.plugins import toolkit as tk

    from tests.helpers import sysadmin_context

    org = factories.Organization(name="municipalidad-xela")
    with pytest.raises(tk.ValidationError) as err:
        helpers.call_action("harvest_source_create", context=sysadmin_context(), name="xela",
                            url="http://127.0.0.1:9/catalog.ttl", source_type="dcat_rdf",
                            owner_org=org["id"], config=json.dumps({"defaults": ["x"]}))
    assert "config" in err.value.error_dict
