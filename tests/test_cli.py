"""The `ckan ogpguatemala` commands, run through CKAN's CLI against the
real database."""
import json

import pytest

import ckan.model as model
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers
from ckan.lib.search import rebuild

from ckanext.ogpguatemala.registry import get_registry
from tests.helpers import create, spanish, sysadmin_context


def _orgs(created, updated, same):
    return spanish("Organizations: %(created)s created, %(updated)s updated, %(same)s unchanged",
                   created=created, updated=updated, same=same)


@pytest.mark.usefixtures("stack")
class TestCli:
    def test_load_registry_creates_one_org_per_institution_idempotently(self, cli, ckan_config):
        from ckan.cli.cli import ckan

        result = cli.invoke(ckan, ["ogpguatemala", "load-registry"])
        assert result.exit_code == 0, result.output
        n = len(get_registry().institutions)
        assert _orgs(n, 0, 0) in result.output
        orgs = helpers.call_action("organization_list")
        assert sorted(orgs) == sorted(get_registry().institutions)
        sesan = helpers.call_action("organization_show", id="sesan")
        assert sesan["title"].startswith("SESAN — ")

        again = cli.invoke(ckan, ["ogpguatemala", "load-registry"])
        assert _orgs(0, 0, n) in again.output

    def test_check_registry_reports_bad_file(self, cli, tmp_path):
        from ckan.cli.cli import ckan

        bad = tmp_path / "pan7.yaml"
        bad.write_text("plans:\n  - code: PAN7\n    number: 7\n    commitments: []\n")
        result = cli.invoke(ckan, ["ogpguatemala", "check-registry", str(bad)])
        assert result.exit_code != 0
        assert str(bad) in result.output and "'title' is a required property" in result.output
        ok = cli.invoke(ckan, ["ogpguatemala", "check-registry"])
        assert ok.exit_code == 0 and "OK: 2 plans, 18 commitments, 20 milestones" in ok.output


# ------------------------------------------------------- link-datasets
def _unlink(name, **drop):
    """Make a dataset look as if it was created before the extension: no
    milestone (and none of the ``drop`` fields), straight in the database as
    an older portal left it, then reindexed."""
    pkg = model.Package.get(name)
    extras = dict(pkg.extras)
    for key in ("ogp_milestones", "ogp_commitments", "ogp_plans", "ogp_institutions", *drop):
        extras.pop(key, None)
    pkg.extras = extras
    model.Session.commit()
    rebuild(pkg.id)


@pytest.fixture
def legacy(stack):
    context = sysadmin_context()
    sesan = factories.Organization(name="sesan")
    gae = factories.Organization(name="gae")
    for name, org in (("antiguo-1", sesan), ("antiguo-2", sesan), ("antiguo-3", gae)):
        create(context, "dataset", name=name, owner_org=org["id"])
        _unlink(name)
    create(context, "dataset", name="ya-vinculado", owner_org=gae["id"])
    _unlink("antiguo-3", contact_email=None)
    return context


def _run(cli, *args):
    from ckan.cli.cli import ckan

    return cli.invoke(ckan, ["ogpguatemala", "link-datasets", *args])


def _milestones(name):
    return helpers.call_action("package_show", id=name).get("ogp_milestones")


def test_link_datasets_lists_the_unlinked_ones(cli, legacy):
    result = _run(cli)
    assert result.exit_code == 0, result.output
    listed = [line.split("\t")[0] for line in result.output.splitlines() if "\t" in line]
    assert listed == ["antiguo-1", "antiguo-2", "antiguo-3"]
    assert spanish("%(count)s datasets without a milestone", count=3) in result.output
    only = _run(cli, "--org", "sesan")
    assert [line.split("\t")[0] for line in only.output.splitlines() if "\t" in line] == \
        ["antiguo-1", "antiguo-2"]


def test_link_datasets_dry_run_writes_nothing(cli, legacy):
    result = _run(cli, "--org", "sesan", "--milestone", "PAN6-C2-H1", "--dry-run")
    assert result.exit_code == 0, result.output
    assert spanish("Would link %(count)s datasets", count=2) in result.output
    assert not _milestones("antiguo-1") and not _milestones("antiguo-2")


def test_link_datasets_by_org_and_milestone(cli, legacy):
    result = _run(cli, "--org", "sesan", "--milestone", "PAN6-C2-H1")
    assert result.exit_code == 0, result.output
    assert spanish("Linked %(count)s datasets", count=2) in result.output
    shown = helpers.call_action("package_show", id="antiguo-1")
    assert shown["ogp_milestones"] == ["PAN6-C2-H1"]
    assert shown["ogp_commitments"] == ["PAN6-C2"]  # derived as for any dataset
    found = helpers.call_action("package_search", fq="ogp_commitments:PAN6-C2")
    assert sorted(d["name"] for d in found["results"]) == ["antiguo-1", "antiguo-2"]
    assert not _milestones("antiguo-3")


def test_link_datasets_reports_other_missing_fields_and_fills_defaults(cli, legacy):
    result = _run(cli, "--org", "gae", "--milestone", "PAN6-C1-H4")
    assert result.exit_code == 1
    assert "antiguo-3" in result.output and "contact_email" in result.output
    assert not _milestones("antiguo-3")  # nothing half-written
    fixed = _run(cli, "--org", "gae", "--milestone", "PAN6-C1-H4",
                 "--default", "contact_email=datos@gae.gob.gt")
    assert fixed.exit_code == 0, fixed.output
    shown = helpers.call_action("package_show", id="antiguo-3")
    assert shown["ogp_milestones"] == ["PAN6-C1-H4"]
    assert shown["contact_email"] == "datos@gae.gob.gt"


def test_link_datasets_from_a_csv(cli, legacy, tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("name,milestone\nantiguo-1,PAN6-C2-H1\nantiguo-2,PAN6-C2-H1 PAN6-C2-H2\n"
                    "antiguo-3,PAN6-C3\nno-existe,PAN6-C1-H1\n", encoding="utf-8")
    result = _run(cli, "--csv", str(path))
    assert result.exit_code == 1
    assert _milestones("antiguo-1") == ["PAN6-C2-H1"]
    assert _milestones("antiguo-2") == ["PAN6-C2-H1", "PAN6-C2-H2"]
    # a commitment is not a milestone; an unknown dataset is named
    assert not _milestones("antiguo-3")
    assert "antiguo-3" in result.output and "no-existe" in result.output
    assert spanish("Dataset '%(name)s' not found", name="no-existe") in result.output


def test_link_datasets_refuses_conflicting_options(cli, legacy, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("antiguo-1,PAN6-C2-H1\n", encoding="utf-8")
    result = _run(cli, "--csv", str(path), "--milestone", "PAN6-C2-H1")
    assert result.exit_code != 0
    assert spanish("Give --milestone or --csv, not both") in result.output
    assert not _milestones("antiguo-1")
