"""Shared fixtures. Everything runs against the real PostgreSQL, Solr and
Redis that `make test` starts; nothing here replaces them."""
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the activity and harvest plugins
    and of this extension (its alembic migrations, ``migration/ogpguatemala``)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("harvest")
    migrate_db_for("ogpguatemala")


@pytest.fixture
def stack(with_plugins, clean_db, clean_index):
    """The configured plugins loaded, an empty database and an empty Solr core."""


def service_script(*args):
    """Run one of the project's scripts in services/ (e.g. ``"web.sh",
    "status", "live-test"``); fails the test with its output if it fails."""
    out = subprocess.run([os.path.join(ROOT, "services", args[0]), *args[1:]], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    return out.stdout


@pytest.fixture(scope="session")
def portal():
    """A fresh test portal served as in production (`services/ckan.sh
    live-test`: gunicorn workers and a jobs worker on 127.0.0.1:5055, its own
    database, Solr core and Redis db, the plan's institutions and the demo
    data loaded), shared by the tests that talk to it over HTTP
    (test_live_portal, test_browser) and stopped at the end of the session.
    Yields {"url", "ini", "api_token", "api": ckanapi.RemoteCKAN as sysadmin}."""
    yield from served("live-test")


def served(name):
    """Start a CKAN instance of `services/ckan.sh NAME` (its .run/NAME.json:
    url, ini, sysadmin token), yield it with an API client as sysadmin, and
    stop it afterwards; the body of the fixtures that need one."""
    from ckanapi import RemoteCKAN

    service_script("ckan.sh", name)
    with open(os.path.join(ROOT, ".run", name + ".json")) as f:
        info = json.load(f)
    try:
        yield dict(info, api=RemoteCKAN(info["url"], apikey=info["api_token"]))
    finally:
        service_script("web.sh", "stop", name)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item (``item.rep_call``) so that
    fixtures can react to a failure (the browser tests take a screenshot)."""
    report = yield
    setattr(item, "rep_" + report.when, report)
    return report


ARTIFACTS_KEY = pytest.StashKey[list]()


def pytest_terminal_summary(terminalreporter, config):
    """Say where the browser tests wrote their screenshots."""
    folders = config.stash.get(ARTIFACTS_KEY, [])
    for folder in folders:
        terminalreporter.write_line("Browser screenshots: %s" % folder)
