"""Assessments recorded per milestone (``observatory.assessments``), against
the real database: a sysadmin records them, everyone can read the history,
nobody else can write, and wrong input is answered field by field without
writing anything — through ``call_action`` and through the web API."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

import ckan.logic as logic
import ckan.model as model
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

from ckanext.ogpguatemala.observatory import assessments
from ckanext.ogpguatemala.observatory.assessments import MilestoneAssessment
from tests.helpers import spanish

MILESTONE = "PAN6-C2-H1"
VALID = {"milestone": MILESTONE, "value": "limited", "date": "2025-01-15"}
DATE_MSGID = "'%(value)s' is not a valid date for '%(field)s'; use YYYY-MM-DD"
SCALE_MSGID = "'%(value)s' is not on the completion scale; use one of: %(choices)s"


@pytest.fixture
def people(stack):
    sysadmin = factories.Sysadmin()
    admin, editor, member, plain = (factories.User() for _ in range(4))
    factories.Organization(name="sesan", users=[
        {"name": admin["name"], "capacity": "admin"},
        {"name": editor["name"], "capacity": "editor"},
        {"name": member["name"], "capacity": "member"}])
    return {"sysadmin": sysadmin, "admin": admin, "editor": editor, "member": member, "plain": plain}


def rows() -> int:
    return model.Session.query(MilestoneAssessment).count()


def record(user, **data):
    return helpers.call_action("ogp_assessment_create",
                               context={"user": user["name"], "ignore_auth": False},
                               **dict(VALID, **data))


def history(milestone=MILESTONE, user=""):
    return helpers.call_action("ogp_assessment_list", context={"user": user, "ignore_auth": False},
                               milestone=milestone)


def today() -> dt.date:
    """Today in Guatemala, as the action counts it."""
    return dt.datetime.now(ZoneInfo("America/Guatemala")).date()


def in_the_future(days=1) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


# ------------------------------------------------------- recording and history
def test_recorded_assessment_appears_with_its_history(people):
    sysadmin = people["sysadmin"]
    first = record(sysadmin, milestone="pan6-c2-h1 ", value="Limited", date="2025-01-15")
    second = record(sysadmin, value="substantial", date="2025-07-01",
                    note="  Tres de cuatro instituciones publican.  ",
                    evidence_url="https://www.gobiernoabierto.gob.gt/pan6/c2/informe.pdf")
    other = record(sysadmin, milestone="PAN6-C1-H4", value="complete", date="2024-12-31")

    assert first["milestone"] == MILESTONE and first["value"] == "limited"
    assert first["note"] == "" and first["evidence_url"] == ""
    assert second == dict(second, value="substantial", date="2025-07-01",
                          note="Tres de cuatro instituciones publican.", author=sysadmin["name"],
                          evidence_url="https://www.gobiernoabierto.gob.gt/pan6/c2/informe.pdf")
    created = dt.datetime.fromisoformat(second["created"])
    assert created.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.timezone.utc) - created) < dt.timedelta(minutes=5)

    listed = history()
    assert [a["id"] for a in listed] == [second["id"], first["id"]]
    assert listed == [second, first]
    assert set(listed[0]) == {"id", "milestone", "value", "date", "note", "evidence_url",
                              "author", "created"}
    assert assessments.history(MILESTONE) == listed

    latest = assessments.latest_by_milestone()
    assert set(latest) == {MILESTONE, "PAN6-C1-H4"}
    assert latest[MILESTONE] == second and latest["PAN6-C1-H4"] == other
    assert history("PAN6-C3-H1") == []


def test_the_newest_record_wins_even_for_an_older_date(people):
    """History is by recording time: a correction of an older date is the
    current assessment."""
    record(people["sysadmin"], value="limited", date="2025-07-01")
    correction = record(people["sysadmin"], value="not_started", date="2025-01-01")
    assert assessments.latest_by_milestone()[MILESTONE] == correction
    assert history()[0] == correction


def test_the_observatory_shows_the_latest_next_to_the_estimate(people):
    from ckanext.ogpguatemala.observatory import figures

    record(people["sysadmin"], value="limited", date="2025-01-15")
    latest = record(people["sysadmin"], value="complete", date="2025-06-30", note="Cumplido")
    rows_ = {m["code"]: m for m in figures.figures(plan="PAN6")["milestones"]}
    assert rows_[MILESTONE]["assessment"] == latest
    assert rows_[MILESTONE]["estimate"] in assessments.SCALE
    assert rows_["PAN6-C3-H1"]["assessment"] is None


def test_scale_and_labels():
    assert assessments.SCALE == ("no_evidence", "not_started", "limited", "substantial", "complete")
    assert [assessments.SCALE_LABELS[c] for c in assessments.SCALE] == [
        "No evidence", "Not started", "Limited", "Substantial", "Complete"]


# ------------------------------------------------------------------ bad input
FUTURE = in_the_future()

BAD = [
    ("milestone", {"milestone": "PAN6-C9-H9"}, "'PAN6-C9-H9' is not a known milestone. "),
    ("milestone", {"milestone": "PAN6-C2"}, "'PAN6-C2' is a commitment, not a milestone"),
    ("milestone", {"milestone": "PAN6"}, "'PAN6' is a plan, not a milestone. "),
    ("milestone", {"milestone": ""}, "Missing value"),
    ("milestone", {"milestone": None}, "Missing value"),
    ("value", {"value": "done"},
     "'done' is not on the completion scale; use one of: "
     "no_evidence, not_started, limited, substantial, complete"),
    ("value", {"value": ["limited", "complete"]}, "is not on the completion scale"),
    ("value", {"value": ""}, "Missing value"),
    ("date", {"date": "2025-13-01"},
     "'2025-13-01' is not a valid date for 'Assessment date'; use YYYY-MM-DD"),
    ("date", {"date": "01/07/2025"},
     "'01/07/2025' is not a valid date for 'Assessment date'; use YYYY-MM-DD"),
    ("date", {"date": "2025-07-01T10:00:00"}, "is not a valid date for 'Assessment date'"),
    ("date", {"date": FUTURE}, "'%s' is in the future: an assessment records what was observed" % FUTURE),
    ("date", {"date": 20250701}, "'20250701' is not a valid date"),
    ("note", {"note": "x" * 2001}, "The note can be at most 2000 characters long."),
    ("evidence_url", {"evidence_url": "ftp://example.org/informe.pdf"},
     "'ftp://example.org/informe.pdf' is not an http(s) link; give the address of the evidence"),
    ("evidence_url", {"evidence_url": "www.example.org/informe"}, "is not an http(s) link"),
    ("evidence_url", {"evidence_url": "https://"}, "'https://' is not an http(s) link"),
    ("evidence_url", {"evidence_url": "javascript:alert(1)"}, "is not an http(s) link"),
    ("evidence_url", {"evidence_url": "https://example.org/a b"}, "is not an http(s) link"),
]


@pytest.mark.parametrize("field,data,message", BAD, ids=["%s-%d" % (b[0], i) for i, b in enumerate(BAD)])
def test_each_bad_field_is_named_and_nothing_is_written(people, field, data, message):
    record(people["sysadmin"])          # something already there, unchanged by the failure
    before = rows()
    with pytest.raises(logic.ValidationError) as exc:
        record(people["sysadmin"], **data)
    errors = exc.value.error_dict
    assert list(errors) == [field]
    assert len(errors[field]) == 1 and message in errors[field][0], errors
    assert rows() == before


def test_missing_fields_and_several_errors_at_once(people):
    before = rows()
    with pytest.raises(logic.ValidationError) as exc:
        helpers.call_action("ogp_assessment_create",
                            context={"user": people["sysadmin"]["name"], "ignore_auth": False},
                            value="excellent", note="x" * 2001, evidence_url="mailto:a@b.gt")
    assert exc.value.error_dict == {
        "milestone": ["Missing value"], "date": ["Missing value"],
        "value": ["'excellent' is not on the completion scale; use one of: "
                  "no_evidence, not_started, limited, substantial, complete"],
        "note": ["The note can be at most 2000 characters long."],
        "evidence_url": ["'mailto:a@b.gt' is not an http(s) link; give the address of the evidence "
                         "(e.g. https://www.gobiernoabierto.gob.gt/...)"],
    }
    assert rows() == before


def test_today_and_a_note_of_exactly_2000_characters_are_accepted(people):
    out = record(people["sysadmin"], date=today().isoformat(), note="n" * 2000,
                 evidence_url="http://example.org/x")
    assert len(out["note"]) == 2000 and out["evidence_url"] == "http://example.org/x"


def test_list_names_a_bad_milestone(people):
    with pytest.raises(logic.ValidationError) as exc:
        history("PAN6-C2")
    assert list(exc.value.error_dict) == ["milestone"]
    with pytest.raises(logic.ValidationError) as exc:
        helpers.call_action("ogp_assessment_list", context={"user": "", "ignore_auth": False})
    assert exc.value.error_dict == {"milestone": ["Missing value"]}


# ------------------------------------------------------------------ who may
@pytest.mark.parametrize("who", ["admin", "editor", "member", "plain", "anonymous"])
def test_only_sysadmins_may_record(people, who):
    user = people.get(who, {"name": ""})
    with pytest.raises(logic.NotAuthorized):
        record(user)
    with pytest.raises(logic.NotAuthorized):   # even wrong input: authorization comes first
        record(user, value="done")
    assert rows() == 0


def test_anyone_may_read_the_history(people):
    recorded = record(people["sysadmin"])
    assert history(user="") == [recorded]
    assert history(user=people["plain"]["name"]) == [recorded]


# ------------------------------------------------------------------ web API
def token(user) -> str:
    return factories.APIToken(user=user["name"])["token"]


def test_web_api_sysadmin_records_others_are_refused(app, people):
    sent = dict(VALID, note="Registrada por la API")
    out = app.post("/api/3/action/ogp_assessment_create", json=sent,
                   headers={"Authorization": token(people["sysadmin"])}, status=200).json
    assert out["success"] and out["result"]["author"] == people["sysadmin"]["name"]
    for who in ("admin", "editor", "plain"):
        refused = app.post("/api/3/action/ogp_assessment_create", json=sent,
                           headers={"Authorization": token(people[who])}, status=403).json
        assert refused["success"] is False
    app.post("/api/3/action/ogp_assessment_create", json=sent, status=403)
    assert rows() == 1

    listed = app.get("/api/3/action/ogp_assessment_list", query_string={"milestone": MILESTONE},
                     status=200).json["result"]
    assert [a["id"] for a in listed] == [out["result"]["id"]]


def test_web_api_errors_in_the_request_language(app, people):
    """English under /en/, the portal's default (Spanish) without a prefix:
    the Spanish is whatever the extension's compiled catalogue says."""
    headers = {"Authorization": token(people["sysadmin"])}
    sent = dict(VALID, date="2025-02-30", value="done")
    es = app.post("/api/3/action/ogp_assessment_create", json=sent, headers=headers, status=409)
    en = app.post("/en/api/3/action/ogp_assessment_create", json=sent, headers=headers, status=409)
    es, en = es.json["error"], en.json["error"]
    assert set(es) == set(en) == {"__type", "date", "value"}
    assert en["date"] == ["'2025-02-30' is not a valid date for 'Assessment date'; use YYYY-MM-DD"]
    assert en["value"] == [SCALE_MSGID % {"value": "done", "choices": ", ".join(assessments.SCALE)}]
    assert es["date"] == [spanish(DATE_MSGID, value="2025-02-30", field=spanish("Assessment date"))]
    assert es["date"] != en["date"]
    assert es["value"] == [spanish(SCALE_MSGID, value="done", choices=", ".join(assessments.SCALE))]
    assert es["value"] != en["value"]
    assert rows() == 0


# ------------------------------------------------------------------ migration
def test_migration_downgrades_and_upgrades(people, migrate_db_for):
    record(people["sysadmin"])
    model.Session.remove()

    def has_table():
        return sa.inspect(model.meta.engine).has_table(MilestoneAssessment.__tablename__)

    migrate_db_for("ogpguatemala", "base", forward=False)
    assert not has_table()
    migrate_db_for("ogpguatemala")
    assert has_table() and rows() == 0
