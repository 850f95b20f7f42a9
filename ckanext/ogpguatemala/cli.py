"""``ckan ogpguatemala …`` commands.

- ``registry``: print the plans, commitments and milestones.
- ``check-registry FILE…``: check registry files without starting the portal.
- ``load-registry``: one CKAN organization per registry institution (by slug).
- ``load-demo``: the demo data (demo/): every dataset type and commitment,
  and one editor per institution.
- ``import-oc4ids SOURCE``: one dataset per project of an OC4IDS package.
- ``link-datasets``: list datasets without a milestone (created before the
  extension) and link them in bulk.
- ``publish-observatory``: the observatory's own dataset (its exports).

Commands write through CKAN's actions as the site user. File checks run at
once here (not in the background-jobs worker), so a command's summary
includes them. Output is in the portal's default language.
"""
from __future__ import annotations

import os

import click

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.logic.context import site_context
from ckanext.ogpguatemala.messages import translate
from ckanext.ogpguatemala.registry import BUILTIN_FILES, RegistryError, get_registry, load

DEMO_FILE = os.path.join(os.path.dirname(__file__), "demo", "datasets.yaml")


def _checks_now():
    """Run file checks inside the command (the CLI's synchronous mode)."""
    tk.config["ckanext.ogpguatemala.checks_async"] = False


@click.group(short_help="Guatemala OGP action plans: registry and data")
@click.pass_context
def ogpguatemala(ctx):
    # Messages in the portal's default language need a request context
    # (CKAN's gettext reads the locale from it); commands have none.
    import flask

    app = ctx.meta.get("flask_app")
    if app is not None and not flask.has_request_context():
        ctx.with_resource(app.test_request_context())


@ogpguatemala.command("registry")
@click.option("--lang", default="es", type=click.Choice(["es", "en"]))
def show_registry(lang):
    """Print the plans, commitments and milestones in force."""
    reg = get_registry()
    for plan in reg.plans.values():
        click.secho("%s  %s" % (plan.code, plan.title[lang]), bold=True)
        for c in plan.commitments:
            click.echo("  %-8s %s [%s]" % (c.code, c.title[lang], ", ".join(c.institutions)))
            for m in c.milestones:
                click.echo("    %-11s %s–%s %s" % (m.code, m.start, m.end, m.text[lang][:70]))


@ogpguatemala.command("check-registry")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check_registry(files):
    """Check registry FILES together with the built-in ones."""
    try:
        reg = load(list(BUILTIN_FILES) + list(files))
    except RegistryError as e:
        raise click.ClickException(str(e))
    click.echo("OK: %d plans, %d commitments, %d milestones, %d institutions"
               % (len(reg.plans), len(reg.commitments), len(reg.milestones),
                  len(reg.institutions)))


@ogpguatemala.command("load-registry")
def load_registry():
    """Create or update one organization per registry institution."""
    reg = get_registry()
    context = site_context()
    created = updated = 0
    with click.progressbar(list(reg.institutions.values()), label=translate("Institutions"),
                           item_show_func=lambda i: i.slug if i else "") as bar:
        for inst in bar:
            data = {
                "name": inst.slug,
                "title": "%s — %s" % (inst.acronym, inst.name["es"]),
                "description": "%s\n\n%s" % (inst.name["es"], inst.name["en"]),
            }
            try:
                existing = tk.get_action("organization_show")(dict(context), {"id": inst.slug})
            except tk.ObjectNotFound:
                tk.get_action("organization_create")(dict(context), data)
                created += 1
                continue
            if existing["title"] != data["title"] or existing["description"] != data["description"]:
                tk.get_action("organization_patch")(dict(context), dict(data, id=existing["id"]))
                updated += 1
    click.echo(translate("Organizations: %(created)s created, %(updated)s updated, %(same)s unchanged",
                 created=created, updated=updated, same=len(reg.institutions) - created - updated))


@ogpguatemala.command("load-demo")
@click.option("--file", "path", default=DEMO_FILE, show_default=True,
              type=click.Path(exists=True, dir_okay=False),
              help="The hand-written demo datasets (YAML); the series are generated")
@click.option("--users-file", default=None, type=click.Path(dir_okay=False),
              help="Where the demo editors' passwords are kept (JSON, mode 600; "
                   "default: demo-users.json in ckan.storage_path)")
def load_demo(path, users_file):
    """Create or update the demo datasets and one editor per institution
    (idempotent: what is already there is left as it is)."""
    from ckanext.ogpguatemala import demo
    from ckanext.ogpguatemala.demo import users

    _checks_now()
    if not users_file:
        storage = tk.config.get("ckan.storage_path")
        if not storage:
            raise click.UsageError(translate("Give --users-file (ckan.storage_path is not set)"))
        users_file = os.path.join(storage, users.FILENAME)
    items = demo.build(demo.today(), path)
    missing = demo.missing_organizations(items)
    if missing:
        raise click.ClickException(translate(
            "Organizations missing: %(orgs)s. Run `ckan ogpguatemala load-registry` first",
            orgs=", ".join(missing)))
    with click.progressbar(items, label=translate("Demo data"),
                           item_show_func=lambda d: d["name"] if d else "") as bar:
        result = demo.load(bar)
    click.echo(translate("Demo datasets: %(created)s created, %(updated)s updated, %(failed)s rejected",
                 created=result["created"], updated=result["updated"], failed=len(result["failed"])))
    click.echo(translate("Demo datasets unchanged: %(count)s", count=result["unchanged"]))
    editors = users.ensure(users_file)
    click.echo(translate("Demo editors: %(created)s created, %(updated)s updated, %(same)s unchanged; "
                         "passwords in %(path)s", created=editors["created"],
                         updated=editors["updated"], same=editors["unchanged"], path=editors["path"]))
    for name, errors in result["failed"]:
        click.secho("  %s: %s" % (name, errors), fg="red")
    if result["failed"]:
        raise click.ClickException(translate("some demo datasets were rejected"))


@ogpguatemala.command("import-oc4ids")
@click.argument("source")
@click.option("--org", required=True, help="Organization (name) that publishes the projects")
@click.option("--milestone", required=True, help="Milestone the projects fulfil, e.g. PAN6-C3-H1")
@click.option("--contact-email", default=None,
              help="Contact point for datasets that give none (default: datos@<org>.gob.gt)")
@click.option("--frequency", default="IRREG", show_default=True,
              help="Update frequency (EU vocabulary code)")
def import_oc4ids(source, org, milestone, contact_email, frequency):
    """Create or update one dataset per project of an OC4IDS project package
    (SOURCE: a file or an http(s) URL), by OC4IDS id."""
    from ckanext.ogpguatemala.infrastructure import importing

    _checks_now()
    defaults = importing.defaults_for(org, contact_email, frequency)
    bars = []

    def progress(items):
        bars.append(click.progressbar(items, label=translate("Projects"), item_show_func=lambda i: (
            i[1].get("id") if i and isinstance(i[1], dict) else "")))
        return bars[-1].__enter__()

    try:
        summary = importing.import_package(source, org, milestone, defaults, progress=progress)
    except importing.ImportFailed as e:
        raise click.ClickException(str(e))
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    for warning in summary.get("warnings", []):
        click.secho(translate("Warning: %(text)s", text=warning), fg="yellow")
    click.echo(translate("Created: %(created)s, updated: %(updated)s, rejected: %(rejected)s",
                 created=len(summary["created"]), updated=len(summary["updated"]),
                 rejected=len(summary["rejected"])))
    for name in summary["created"]:
        click.echo("  + %s" % name)
    for name in summary["updated"]:
        click.echo("  ~ %s" % name)
    for pid, reasons in summary["rejected"]:
        click.secho("  x %s" % pid, fg="red")
        for reason in reasons:
            click.echo("      %s" % reason)
    if summary["rejected"]:
        raise SystemExit(1)


@ogpguatemala.command("publish-observatory")
@click.option("--org", default="gae", show_default=True,
              help="Organization that publishes the observatory's dataset")
def publish_observatory(org):
    """Create or update the observatory's own dataset, whose resources are
    its CSV and JSON exports (so harvesters get the figures too)."""
    from ckanext.ogpguatemala.observatory import publishing

    try:
        pkg, created = publishing.publish(org)
    except tk.ValidationError as e:
        raise click.ClickException(str(e.error_dict))
    click.echo(translate("Observatory dataset %(name)s: %(what)s", name=pkg["name"],
                         what=translate("created") if created else translate("updated")))


def _key_value(ctx, param, values):
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(translate("expected FIELD=VALUE, got '%(value)s'", value=item))
        out[key.strip()] = value.strip()
    return out


@ogpguatemala.command("link-datasets")
@click.option("--milestone", default=None,
              help="Link every unlinked dataset (of --org) to this milestone (or several: 'A B')")
@click.option("--org", default=None, help="Only the datasets of this organization")
@click.option("--csv", "csv_path", default=None, type=click.Path(exists=True, dir_okay=False),
              help="CSV file of name,milestone rows: link each named dataset")
@click.option("--default", "defaults", multiple=True, callback=_key_value, metavar="FIELD=VALUE",
              help="Fill this field where a dataset leaves it empty (repeatable)")
@click.option("--dry-run", is_flag=True, help="Say what would be done; write nothing")
def link_datasets(milestone, org, csv_path, defaults, dry_run):
    """List the datasets that have no milestone (created before the
    extension) or, with --milestone or --csv, link them."""
    from ckanext.ogpguatemala import legacy

    _checks_now()
    if milestone and csv_path:
        raise click.UsageError(translate("Give --milestone or --csv, not both"))
    if not (milestone or csv_path):
        found = legacy.unlinked(org)
        for pkg in found:
            click.echo("%s\t%s\t%s" % (pkg.name, pkg.type, pkg.owner_org or "-"))
        click.echo(translate("%(count)s datasets without a milestone", count=len(found)), err=True)
        return
    if csv_path:
        try:
            pairs = legacy.read_csv(csv_path)
        except ValueError as e:
            raise click.ClickException(str(e))
    else:
        pairs = [(pkg.name, milestone) for pkg in legacy.unlinked(org)]
    plans = legacy.plan(pairs)
    linked, failed = 0, []
    with click.progressbar(plans, label=translate("Linking datasets"),
                           item_show_func=lambda p: p.name if p else "") as bar:
        for item in bar:
            if item.problem:
                failed.append((item.name, item.problem))
            elif not dry_run:
                errors = legacy.link(item, defaults)
                if errors:
                    failed.append((item.name, "; ".join(
                        "%s: %s" % (k, " ".join(map(str, v))) for k, v in errors.items())))
                    continue
                linked += 1
    ok = len(plans) - len(failed)
    click.echo(translate("Would link %(count)s datasets", count=ok) if dry_run
               else translate("Linked %(count)s datasets", count=linked))
    for name, why in failed:
        click.secho("  x %s: %s" % (name, why), fg="red")
    if failed:
        raise SystemExit(1)


def get_commands():
    return [ogpguatemala]
