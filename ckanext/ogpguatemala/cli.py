"""``ckan ogpguatemala …`` commands.

- ``load-registry``: one CKAN organization per registry institution (by slug).
- ``load-demo``: the demo datasets shipped in demo/datasets.yaml.
- ``registry``: print the plans, commitments and milestones.
- ``check-registry FILE…``: check registry files without starting the portal.
"""
from __future__ import annotations

import os

import click
import yaml

import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala.registry import BUILTIN_FILES, RegistryError, get_registry, load

DEMO_FILE = os.path.join(os.path.dirname(__file__), "demo", "datasets.yaml")


def _site_context() -> dict:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


@click.group(short_help="Guatemala OGP action plans: registry and data")
def ogpguatemala():
    pass


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
    context = _site_context()
    created = updated = 0
    with click.progressbar(list(reg.institutions.values()),
                           label="Instituciones / Institutions",
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
    click.echo("Organizations: %d created, %d updated, %d unchanged"
               % (created, updated, len(reg.institutions) - created - updated))


@ogpguatemala.command("load-demo")
@click.option("--file", "path", default=DEMO_FILE, show_default=True,
              type=click.Path(exists=True, dir_okay=False))
def load_demo(path):
    """Create or update the demo datasets (idempotent, by name)."""
    with open(path, encoding="utf-8") as f:
        datasets = yaml.safe_load(f)["datasets"]
    context = _site_context()
    created = updated = 0
    failed = []
    with click.progressbar(datasets, label="Datos de demostración / Demo data",
                           item_show_func=lambda d: d["name"] if d else "") as bar:
        for ds in bar:
            try:
                tk.get_action("package_show")(dict(context), {"id": ds["name"]})
                exists = True
            except tk.ObjectNotFound:
                exists = False
            files = ds.pop("files", [])
            try:
                if exists:
                    pkg = tk.get_action("package_update")(dict(context), dict(ds, id=ds["name"]))
                    updated += 1
                else:
                    pkg = tk.get_action("package_create")(dict(context), dict(ds))
                    created += 1
                _upload_demo_files(context, pkg, files, os.path.dirname(path))
            except tk.ValidationError as e:
                failed.append((ds["name"], e.error_dict))
    click.echo("Demo datasets: %d created, %d updated, %d rejected" % (created, updated, len(failed)))
    for name, errors in failed:
        click.secho("  %s: %s" % (name, errors), fg="red")
    if failed:
        raise click.ClickException("some demo datasets were rejected")


@ogpguatemala.command("import-oc4ids")
@click.argument("source")
@click.option("--org", required=True, help="Organization (name) that publishes the projects")
@click.option("--milestone", required=True, help="Milestone the projects fulfil, e.g. PAN6-C3-H1")
@click.option("--contact-email", default=None,
              help="Contact point for datasets that give none (default: the organization's)")
@click.option("--frequency", default="IRREG", show_default=True,
              help="Update frequency (EU vocabulary code)")
def import_oc4ids(source, org, milestone, contact_email, frequency):
    """Create or update one dataset per project of an OC4IDS project package
    (SOURCE: a file or an http(s) URL), by OC4IDS id."""
    from ckanext.ogpguatemala import infrastructure

    if not contact_email:
        contact_email = "datos@%s.gob.gt" % org
    defaults = {"contact_email": contact_email, "frequency": frequency, "language": ["SPA"]}

    def progress(items):
        return click.progressbar(items, label="Proyectos / Projects",
                                 item_show_func=lambda i: (i[1].get("id") if i and isinstance(i[1], dict) else ""))

    def run(bar_factory):
        return infrastructure.import_package(source, org, milestone, defaults, progress=bar_factory)

    try:
        with _Bar(progress) as bars:
            summary = run(bars)
    except infrastructure.ImportError_ as e:
        raise click.ClickException(str(e))
    for warning in summary.get("warnings", []):
        click.secho("Aviso / Warning: %s" % warning, fg="yellow")
    click.echo("Created / creados: %d, updated / actualizados: %d, rejected / rechazados: %d"
               % (len(summary["created"]), len(summary["updated"]), len(summary["rejected"])))
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


class _Bar:
    """Gives import_package a progress-bar factory and closes the bar."""

    def __init__(self, factory):
        self.factory, self.bar = factory, None

    def __enter__(self):
        def make(items):
            self.bar = self.factory(items)
            return self.bar.__enter__()
        return make

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


def _upload_demo_files(context, pkg, files, folder):
    """Attach demo files that the dataset does not have yet (by name)."""
    import io

    from werkzeug.datastructures import FileStorage

    have = {r.get("name") for r in pkg.get("resources", [])}
    for item in files:
        if item["name"] in have:
            continue
        with open(os.path.join(folder, item["path"]), "rb") as f:
            data = f.read()
        tk.get_action("resource_create")(dict(context), {
            "package_id": pkg["id"], "name": item["name"], "format": item.get("format", ""),
            "url": item["path"],
            "upload": FileStorage(io.BytesIO(data), filename=item["path"]),
        })


def get_commands():
    return [ogpguatemala]
