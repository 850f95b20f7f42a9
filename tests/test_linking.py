"""Every dataset is linked to the milestones it fulfils: validation,
derivation, indexing and faceting, against the real database and Solr."""
import pytest

import ckan.logic as logic
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from tests.helpers import create, dataset_count, sysadmin_context

# How to find valid codes: said with every code that is not a milestone
# (but a commitment with milestones, which names them).
HINT = ("Choose milestones from the plan registry (codes such as PAN6-C1-H1, PAN6-C1-H2; "
        "full list at /compromisos or through the ogp_plan_list action)")
REQUIRED = ("Give at least one action-plan milestone this dataset fulfils "
            "(codes such as PAN6-C1-H1, PAN6-C1-H2)")


def _fields(**extra):
    fields = {
        "name": "ds-%s" % extra.pop("suffix", "a"),
        "title": "Conjunto de prueba",
        "notes": "Descripción",
        "ogp_milestones": ["PAN6-C3-H1"],
    }
    fields.update(extra)
    return fields


class TestMilestoneLink:
    @pytest.fixture(autouse=True)
    def _setup(self, stack):
        self.context = sysadmin_context()
        self.org = factories.Organization(name="mspas")

    def test_link_stored_and_derived(self):
        ds = create(self.context, owner_org=self.org["id"],
                    **_fields(ogp_milestones=["PAN6-C3-H2", "PAN6-C2-H1", "PAN6-C3-H1"]))
        shown = helpers.call_action("package_show", id=ds["id"])
        assert shown["ogp_milestones"] == ["PAN6-C2-H1", "PAN6-C3-H1", "PAN6-C3-H2"]
        assert shown["ogp_commitments"] == ["PAN6-C2", "PAN6-C3"]
        assert shown["ogp_plans"] == ["PAN6"]
        assert shown["ogp_institutions"] == ["sesan", "mspas"]

    def test_derived_fields_cannot_be_typed_by_hand(self):
        ds = create(self.context, owner_org=self.org["id"],
                    **_fields(ogp_commitments=["PAN5-C1"], ogp_plans=["PAN5"]))
        assert ds["ogp_commitments"] == ["PAN6-C3"]
        assert ds["ogp_plans"] == ["PAN6"]

    def test_comma_separated_string_accepted(self):
        ds = create(self.context, owner_org=self.org["id"],
                    **_fields(ogp_milestones="pan6-c3-h1, PAN6-C6-H2"))
        assert ds["ogp_milestones"] == ["PAN6-C3-H1", "PAN6-C6-H2"]

    @pytest.mark.parametrize("value,messages", [
        (["PAN6-C9-H1"], ["'PAN6-C9-H1' is not a known milestone. " + HINT]),
        (["PAN6-C3"], ["'PAN6-C3' is a commitment, not a milestone: choose one of its "
                       "milestones (PAN6-C3-H1, PAN6-C3-H2)"]),
        (["PAN5-C3"], ["'PAN5-C3' is a commitment of PAN5, which has no milestones in the "
                       "registry. " + HINT]),
        (["PAN6"], ["'PAN6' is a plan, not a milestone. " + HINT]),
        ([], [REQUIRED]),
        ("", [REQUIRED]),
        (["PAN6-C3-H1", "NADA"], ["'NADA' is not a known milestone. " + HINT]),
        (["NADA", "PAN6"], ["'NADA' is not a known milestone. " + HINT,
                            "'PAN6' is a plan, not a milestone. " + HINT]),
    ])
    def test_bad_codes_rejected_naming_the_field_and_nothing_written(self, value, messages):
        # Called without a request: the messages are the English msgids.
        before = dataset_count()
        with pytest.raises(logic.ValidationError) as exc:
            create(self.context, owner_org=self.org["id"], **_fields(ogp_milestones=value))
        assert exc.value.error_dict == {"ogp_milestones": messages}
        assert dataset_count() == before

    def test_update_with_bad_code_changes_nothing(self):
        ds = create(self.context, owner_org=self.org["id"], **_fields())
        with pytest.raises(logic.ValidationError):
            helpers.call_action("package_patch", context=dict(self.context),
                                id=ds["id"], ogp_milestones=["PAN6-C3"])
        assert helpers.call_action("package_show", id=ds["id"])["ogp_milestones"] == ["PAN6-C3-H1"]

    def test_search_filters_and_facets(self):
        create(self.context, owner_org=self.org["id"], **_fields(suffix="a"))
        create(self.context, owner_org=self.org["id"],
               **_fields(suffix="b", ogp_milestones=["PAN6-C3-H2", "PAN6-C2-H1"]))
        create(self.context, owner_org=self.org["id"],
               **_fields(suffix="c", ogp_milestones=["PAN6-C6-H2"]))

        by_commitment = helpers.call_action("package_search", fq="ogp_commitments:PAN6-C3")
        assert sorted(d["name"] for d in by_commitment["results"]) == ["ds-a", "ds-b"]

        by_milestone = helpers.call_action("package_search", fq='ogp_milestones:"PAN6-C2-H1"')
        assert [d["name"] for d in by_milestone["results"]] == ["ds-b"]

        by_institution = helpers.call_action("package_search", fq="ogp_institutions:mintrab")
        assert [d["name"] for d in by_institution["results"]] == ["ds-c"]

        facets = helpers.call_action(
            "package_search",
            **{"facet.field": ["ogp_plans", "ogp_commitments", "ogp_milestones", "ogp_institutions"],
               "rows": 0},
        )
        assert facets["facets"]["ogp_commitments"] == {"PAN6-C3": 2, "PAN6-C2": 1, "PAN6-C6": 1}
        assert facets["facets"]["ogp_plans"] == {"PAN6": 3}
        assert facets["facets"]["ogp_milestones"]["PAN6-C3-H1"] == 1
        assert facets["facets"]["ogp_institutions"] == {"mspas": 2, "sesan": 1, "mintrab": 1}
        items = {i["name"]: i for i in facets["search_facets"]["ogp_commitments"]["items"]}
        assert items["PAN6-C3"]["display_name"].startswith("PAN6-C3 · Fortalecimiento de la Transparencia")

    def test_search_page_filters_by_commitment(self, app):
        create(self.context, owner_org=self.org["id"],
               **_fields(suffix="visible", title="Obras de salud 2024"))
        create(self.context, owner_org=self.org["id"],
               **_fields(suffix="other", title="Migración 2024", ogp_milestones=["PAN6-C4-H3"]))
        page = app.get("/dataset/", query_string={"ogp_commitments": "PAN6-C3"})
        assert page.status_code == 200
        assert "Obras de salud 2024" in page.body
        assert "Migración 2024" not in page.body
