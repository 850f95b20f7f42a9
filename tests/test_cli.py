"""The `ckan ogpguatemala` commands, run through CKAN's CLI against the
real database."""
import pytest

import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.registry import get_registry


@pytest.mark.usefixtures("stack")
class TestCli:
    def test_load_registry_creates_one_org_per_institution_idempotently(self, cli, ckan_config):
        from ckan.cli.cli import ckan

        result = cli.invoke(ckan, ["ogpguatemala", "load-registry"])
        assert result.exit_code == 0, result.output
        n = len(get_registry().institutions)
        assert "Organizations: %d created, 0 updated" % n in result.output
        orgs = helpers.call_action("organization_list")
        assert sorted(orgs) == sorted(get_registry().institutions)
        sesan = helpers.call_action("organization_show", id="sesan")
        assert sesan["title"].startswith("SESAN — ")

        again = cli.invoke(ckan, ["ogpguatemala", "load-registry"])
        assert "0 created, 0 updated, %d unchanged" % n in again.output

    def test_load_demo_needs_the_orgs_and_is_idempotent(self, cli, tmp_path, ckan_config,
                                                         monkeypatch):
        monkeypatch.setitem(ckan_config, "ckan.storage_path", str(tmp_path))
        from ckan.cli.cli import ckan

        cli.invoke(ckan, ["ogpguatemala", "load-registry"])
        first = cli.invoke(ckan, ["ogpguatemala", "load-demo"])
        assert first.exit_code == 0, first.output
        assert "0 rejected" in first.output
        count = helpers.call_action("package_search", rows=0)["count"]
        assert count > 0
        report = helpers.call_action("package_show", id="demo-movilidad-laboral-2024-03")
        assert [r["ogp_check_status"] for r in report["resources"]] == ["valid"]
        second = cli.invoke(ckan, ["ogpguatemala", "load-demo"])
        assert "0 created, %d updated, 0 rejected" % count in second.output
        assert helpers.call_action("package_search", rows=0)["count"] == count
        report = helpers.call_action("package_show", id="demo-movilidad-laboral-2024-03")
        assert len(report["resources"]) == 1

    def test_check_registry_reports_bad_file(self, cli, tmp_path):
        from ckan.cli.cli import ckan

        bad = tmp_path / "pan7.yaml"
        bad.write_text("plans:\n  - code: PAN7\n    number: 7\n    commitments: []\n")
        result = cli.invoke(ckan, ["ogpguatemala", "check-registry", str(bad)])
        assert result.exit_code != 0
        assert str(bad) in result.output and "'title' is a required property" in result.output
        ok = cli.invoke(ckan, ["ogpguatemala", "check-registry"])
        assert ok.exit_code == 0 and "OK: 2 plans, 18 commitments, 20 milestones" in ok.output
