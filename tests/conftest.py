"""Shared fixtures. Everything runs against the real PostgreSQL, Solr and
Redis that `make test` starts; nothing here replaces them."""
import json
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# The plugins whose migrations the tests need, and the revision each was at
# after this session last ran them.
PLUGIN_MIGRATIONS = ("activity", "harvest", "ogpguatemala")
_MIGRATED = {}


def _revision(plugin):
    """The revision in the plugin's alembic version table, or None."""
    import sqlalchemy as sa
    from ckan import model

    table = plugin + "_alembic_version"
    try:
        if not model.Session.execute(sa.text("SELECT to_regclass(:t) IS NOT NULL"),
                                     {"t": "public." + table}).scalar():
            return None
        return model.Session.execute(sa.text('SELECT version_num FROM "%s"' % table)).scalar()
    finally:
        model.Session.remove()


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the activity and harvest plugins
    and of this extension (its alembic migrations, ``migration/ogpguatemala``).
    CKAN's reset_db empties the tables and keeps them; a plugin's migrations
    (0.1 s each even with nothing to do) run again only when its version
    table no longer says the revision they reached earlier in the session."""
    reset_db()
    for plugin in PLUGIN_MIGRATIONS:
        current = _revision(plugin)
        if current is None or current != _MIGRATED.get(plugin):
            migrate_db_for(plugin)
            _MIGRATED[plugin] = _revision(plugin)


@pytest.fixture
def with_plugins(ckan_config, provide_plugin, monkeypatch, request):
    """CKAN's with_plugins, without reloading the same plugins for every test.

    CKAN's fixture unloads and reloads every configured plugin around each
    test, re-reading every scheming schema and config declaration (0.7 s a
    test here, ~9 minutes of `make test`). This one keeps the configured
    plugins loaded between tests that ask for exactly them; a test marked
    with ``ckan_config`` or ``with_plugins`` still gets CKAN's full reload
    (its plugins may read the changed options when they load) and leaves
    them unloaded."""
    from ckan import plugins
    from ckan.plugins import core

    configured = ckan_config["ckan.plugins"]
    if isinstance(configured, str):
        configured = configured.split()
    marked = any(True for _ in request.node.iter_markers("ckan_config")) or \
        any(True for _ in request.node.iter_markers("with_plugins"))
    if marked:
        names = [n for m in request.node.iter_markers("with_plugins") for n in m.args
                 if isinstance(n, str)]
        monkeypatch.setitem(ckan_config, "ckan.plugins", list(configured) + names)
        plugins.load_all()
        yield
        plugins.unload_all()
        return
    if list(core._PLUGINS) != list(configured):
        plugins.load_all()
    yield


@pytest.fixture
def stack(with_plugins, clean_db, clean_index):
    """The configured plugins loaded, an empty database and an empty Solr core."""


def service_script(*args, env=None):
    """Run one of the project's scripts in services/ (e.g. ``"web.sh",
    "status", "live-test"``), with ``env`` as its environment if given;
    fails the test with its output if it fails."""
    out = subprocess.run([os.path.join(ROOT, "services", args[0]), *args[1:]], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=600)
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
    stop it afterwards; the body of the fixtures that need one. An instance
    started in the background at the start of the session (see
    ``pytest_collection_finish``) is waited for instead."""
    from ckanapi import RemoteCKAN

    starting = _STARTING.pop(name, None)
    if starting is None:
        service_script("ckan.sh", name)
    else:
        out = starting.result()
        assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-3000:]
    with open(os.path.join(ROOT, ".run", name + ".json")) as f:
        info = json.load(f)
    try:
        yield dict(info, api=RemoteCKAN(info["url"], apikey=info["api_token"]))
    finally:
        service_script("web.sh", "stop", name)


# The served instances being started in the background: {name: Future of
# the finished `services/ckan.sh NAME` process}.
_STARTING = {}


def _instances_needed(items):
    """The served instances the collected tests use, in the order they first
    need them: ``portal`` is the live test portal; a module names the others
    it serves in ``SERVED``."""
    order = []
    for item in items:
        needed = ["live-test"] if "portal" in getattr(item, "fixturenames", ()) else []
        needed += list(getattr(getattr(item, "module", None), "SERVED", ()))
        order += [name for name in needed if name not in order]
    return order


def _start_instance(name):
    return subprocess.run([os.path.join(ROOT, "services", "ckan.sh"), name], cwd=ROOT,
                          capture_output=True, text=True, timeout=900)


def pytest_collection_finish(session):
    """Start the served instances the run will need in the background, one
    after the other in the order the tests need them, while the first tests
    run: each takes a minute or two of set-up (database, plan, demo data)
    that the test process would otherwise wait for. OGP_PRESTART=0 starts
    each when its first test asks for it instead."""
    from concurrent.futures import ThreadPoolExecutor

    if session.config.option.collectonly or os.environ.get("OGP_PRESTART", "1") == "0":
        return
    names = _instances_needed(session.items)
    if not names:
        return
    pool = ThreadPoolExecutor(1, thread_name_prefix="served-instances")
    for name in names:
        _STARTING[name] = pool.submit(_start_instance, name)
    pool.shutdown(wait=False)


def pytest_sessionfinish(session):
    """Stop the instances started in the background that no test used."""
    for name, starting in list(_STARTING.items()):
        starting.result()
        service_script("web.sh", "stop", name)
    _STARTING.clear()


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


def fresh_site(reset_db, migrate_db_for):
    """What ``stack`` does, for module-scoped fixtures: the configured
    plugins loaded, the database emptied and migrated, the Solr core empty."""
    from ckan import plugins
    from ckan.lib import search
    from ckan.plugins import core

    configured = tk_config_plugins()
    if list(core._PLUGINS) != configured:
        plugins.load_all()
    reset_db()
    for plugin in PLUGIN_MIGRATIONS:
        migrate_db_for(plugin)
        _MIGRATED[plugin] = _revision(plugin)
    search.clear_all()


@pytest.fixture(scope="module")
def world(reset_db, migrate_db_for):
    """For a module's tests: a fresh site with organizations A and B and
    the people of ``tests.helpers.ROLES`` (``make_people``), plus a counter
    ``n`` for unique names. test_no_leaks builds its own."""
    from tests.helpers import make_people

    fresh_site(reset_db, migrate_db_for)
    people = make_people()
    people["n"] = 0
    return people


def tk_config_plugins():
    import ckan.plugins.toolkit as tk

    return tk.aslist(tk.config.get("ckan.plugins"))
