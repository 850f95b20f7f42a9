"""Security headers and CSRF on the live portal (gunicorn, production
config with CSRF protection on), as a browser meets them."""
import re
import secrets
import subprocess

import pytest
import requests

from tests.conftest import ROOT

PAGES = ("/", "/dataset/", "/compromisos", "/observatorio", "/catalog.ttl", "/publicar",
         "/api/3/action/status_show", "/observatorio/datos/milestones.csv", "/en/dataset/")


@pytest.mark.parametrize("path", PAGES)
def test_pages_carry_the_security_headers(portal, path):
    response = requests.get(portal["url"] + path, timeout=60, allow_redirects=False)
    assert response.status_code in (200, 302), response.status_code
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]


def test_a_resource_views_embed_url_may_be_framed_elsewhere(portal):
    """CKAN hands out a view's own URL as embed code for other sites."""
    api = portal["api"]
    found = api.action.package_search(fq="res_format:CSV", rows=20)["results"]
    view = None
    for dataset in found:
        for resource in dataset["resources"]:
            views = api.action.resource_view_list(id=resource["id"])
            if views:
                view = (dataset["name"], resource["id"], views[0]["id"])
                break
        if view:
            break
    assert view, "the demo data has a CSV with a view"
    url = "%s/dataset/%s/resource/%s/view/%s" % ((portal["url"],) + view)
    response = requests.get(url, timeout=60)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "frame-ancestors" not in response.headers.get("Content-Security-Policy", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def _token_in(html):
    match = re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', html) or \
        re.search(r'value="([^"]+)"[^>]*name="_csrf_token"', html)
    return match.group(1) if match else None


@pytest.fixture(scope="module")
def sysadmin_session(portal):
    """A browser session of a sysadmin logged in through the login form."""
    name, password = "guardian-%s" % secrets.token_hex(3), secrets.token_urlsafe(16)
    portal["api"].action.user_create(name=name, email=name + "@localhost", password=password)
    out = subprocess.run([ROOT + "/.venv/bin/ckan", "-c", portal["ini"], "sysadmin", "add", name],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    session = requests.Session()
    login = session.get(portal["url"] + "/user/login", timeout=60)
    token = _token_in(login.text)
    assert token, "the login form carries a CSRF token"
    done = session.post(portal["url"] + "/user/login", timeout=60, data={
        "login": name, "password": password, "_csrf_token": token})
    assert done.status_code == 200 and "/user/login" not in done.url, done.url
    yield session


def test_the_extensions_forms_carry_the_csrf_token(portal, sysadmin_session):
    for path in ("/observatorio/compromiso/PAN6-C2", "/sinsan-nutricion/new?group=sesan",
                 "/oc4ids-proyecto/new"):
        page = sysadmin_session.get(portal["url"] + path, timeout=60)
        assert page.status_code == 200, path
        forms = re.findall(r"<form[^>]*method=\"post\".*?</form>", page.text, re.S | re.I)
        assert forms, path
        for form in forms:
            assert _token_in(form), "%s: a POST form without CSRF token" % path


def test_a_post_without_the_token_is_refused_and_changes_nothing(portal, sysadmin_session):
    api = portal["api"]
    before = api.action.ogp_assessment_list(milestone="PAN6-C2-H1")
    url = portal["url"] + "/observatorio/hito/PAN6-C2-H1/evaluacion"
    form = {"value": "complete", "date": "2025-01-10", "note": "Sin token"}
    refused = sysadmin_session.post(url, data=form, timeout=60, allow_redirects=False)
    assert refused.status_code == 400
    assert api.action.ogp_assessment_list(milestone="PAN6-C2-H1") == before
    # with the page's token the same session reaches the form's own check
    page = sysadmin_session.get(portal["url"] + "/observatorio/compromiso/PAN6-C2", timeout=60)
    accepted = sysadmin_session.post(url, timeout=60, allow_redirects=False, data=dict(
        form, value="no-such-value", _csrf_token=_token_in(page.text)))
    # the page again, the value refused next to its field
    assert accepted.status_code == 200, accepted.status_code
    assert 'id="assess-PAN6-C2-H1"' in accepted.text and "CSRF" not in accepted.text
    assert api.action.ogp_assessment_list(milestone="PAN6-C2-H1") == before
