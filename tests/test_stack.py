"""The real stack: PostgreSQL, Solr and CKAN's web app, with our plugins."""
import pytest

import ckan.plugins as p
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import create, sysadmin_context


@pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")
class TestStack:
    def test_dataset_round_trip_through_solr(self):
        org = factories.Organization(name="sesan")
        create(
            sysadmin_context(),
            name="desnutricion-cronica-2024",
            title="Prevalencia de desnutrición crónica 2024",
            ogp_milestones=["PAN6-C2-H1"],
            owner_org=org["id"],
        )
        result = helpers.call_action("package_search", q="desnutrición", fq="organization:sesan")
        assert result["count"] == 1
        assert result["results"][0]["name"] == "desnutricion-cronica-2024"

    def test_search_index_is_really_solr(self):
        from ckan.lib.search.common import make_connection

        conn = make_connection()
        assert "/solr/ckan_test" in conn.url
        assert conn.ping()

    def test_dataset_page_renders(self, app):
        response = app.get("/dataset/")
        assert response.status_code == 200

    def test_status_lists_our_plugins(self):
        status = helpers.call_action("status_show")
        for plugin in ("ogpguatemala", "scheming_datasets", "dcat", "activity"):
            assert plugin in status["extensions"]
        assert p.plugin_loaded("ogpguatemala")
