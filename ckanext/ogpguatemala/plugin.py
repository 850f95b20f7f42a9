"""The ``ogpguatemala`` plugin: wiring only.

Each concept of the extension lives in its own module; this class connects
them to CKAN's plugin interfaces and holds no logic of its own:

- registry/      the action plans (commitments, milestones, institutions)
- linking.py     the milestone link every dataset carries (validators)
- schemas/       the dataset types (scheming YAML) and shared presets
- validators.py  field validators of the types
- geo.py, vocabularies.py   INE codes, EU frequencies, languages, countries
- search.py      indexing and searching the link, facets
- series.py      dataset series (ckanext-dataset-series): releases, order, access
- harvest.py     harvesting DCAT-AP feeds (ckanext-harvest + dcat_rdf_harvester hooks)
- observatory/   progress of commitments, milestones and institutions
                 (figures, rules, assessments, /observatorio pages)
- views.py       the /compromisos pages
- portal/        the home page, the guided publishing flow, readable pages
- checks/        file checks of resources (MINTRAB, OC4IDS), background jobs
- tabular/       reading tables; the MINTRAB report check and the
                 data-quality check of every table (Frictionless)
- datastore/     checked tables into CKAN's DataStore (xloader's loader),
                 XLSX downloads
- oc4ids/         the OC4IDS standard (pure Python, schemas shipped in standard/)
- infrastructure/ OC4IDS projects in CKAN: settings, fields, filling, import, export
- logic/         the API actions
- security/      closing CKAN core listings of private data, security headers
- search_outage.py  a clear 503 (API and pages) while Solr is down
- catalogue_cache.py  DCAT catalogue pages, the OC4IDS package and milestone
                 statuses kept in Redis until the public catalogue changes
- helpers.py     template helpers
- cli.py         `ckan ogpguatemala …` commands
- messages.py    gettext helpers (English msgids, Spanish catalogue in i18n/)
"""
import os

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckanext.dcat.interfaces import IDCATRDFHarvester
from ckanext.xloader.interfaces import IXloader

from ckanext.ogpguatemala import (
    catalogue_cache, checks, cli, harvest, helpers, linking, portal, registry, search, search_outage, series,
    validators, views,
)
from ckanext.ogpguatemala.checks import actions as check_actions
from ckanext.ogpguatemala.datastore import load as datastore_load
from ckanext.ogpguatemala.datastore import xlsx
from ckanext.ogpguatemala.infrastructure import actions as oc4ids_actions
from ckanext.ogpguatemala.infrastructure import fields as oc4ids_fields
from ckanext.ogpguatemala.logic import actions, auth, show
from ckanext.ogpguatemala.observatory import actions as observatory_actions
from ckanext.ogpguatemala.observatory import assessments, pages
from ckanext.ogpguatemala.security import errors, headers, listings, uploads

@tk.blanket.config_declarations
class OgpGuatemalaPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IActions)
    p.implements(p.IAuthFunctions)
    p.implements(p.IBlueprint)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IOrganizationController, inherit=True)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(IXloader, inherit=True)
    p.implements(IDCATRDFHarvester, inherit=True)
    p.implements(p.IMiddleware, inherit=True)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        tk.add_resource("assets", "ogpguatemala")

    # IConfigurable
    def configure(self, config):
        registry.configure(
            extra_files=tk.aslist(config.get("ckanext.ogpguatemala.registry_files")),
            builtin=tk.asbool(config.get("ckanext.ogpguatemala.builtin_registry")),
        )

    # IValidators
    def get_validators(self):
        return dict(
            linking.validators(),
            **validators.get_validators(),
            **series.get_validators(),
            ogp_check_field=checks.ogp_check_field,
            ogp_oc4ids_id=oc4ids_fields.ogp_oc4ids_id,
            ogp_keep_stored=oc4ids_fields.ogp_keep_stored,
            ogp_json_output=oc4ids_fields.ogp_json_output,
        )

    # ITemplateHelpers
    def get_helpers(self):
        return dict(helpers.get_helpers(), **portal.get_helpers(), **series.get_helpers())

    # IActions / IAuthFunctions
    def get_actions(self):
        return dict(actions.get_actions(), **check_actions.get_actions(),
                    **oc4ids_actions.get_actions(), **observatory_actions.get_actions(),
                    **assessments.get_actions(), **show.get_actions(),
                    **harvest.get_actions(), **listings.get_actions(),
                    **errors.get_actions(), **uploads.get_actions())

    def get_auth_functions(self):
        return dict(auth.get_auth_functions(), **oc4ids_actions.get_auth_functions(),
                    **assessments.get_auth_functions(),
                    **observatory_actions.get_auth_functions(),
                    **errors.get_auth_functions())

    # IBlueprint
    def get_blueprint(self):
        return (views.get_blueprints() + pages.get_blueprints() + portal.get_blueprints()
                + xlsx.get_blueprints())

    # IFacets
    def dataset_facets(self, facets_dict, package_type):
        return search.facets(facets_dict, package_type)

    # IPackageController
    def before_dataset_index(self, pkg_dict):
        return search.before_index(pkg_dict)

    def before_dataset_search(self, search_params):
        return search.before_search(search_params)

    def after_dataset_search(self, search_results, search_params):
        return search.after_search(search_results, search_params)

    # IPackageController and IOrganizationController (the same three hooks
    # serve both): a dataset or a publisher written, so the cached
    # catalogue answers are built again
    def create(self, entity):
        catalogue_cache.changed()

    def edit(self, entity):
        catalogue_cache.changed()

    def delete(self, entity):
        catalogue_cache.changed()

    # ITranslation
    def i18n_directory(self):
        return os.path.join(os.path.dirname(__file__), "i18n")

    def i18n_locales(self):
        return ["es"]

    def i18n_domain(self):
        return "ckanext-ogpguatemala"

    # IMiddleware: security headers on every response, 503 while Solr is
    # down, DCAT catalogue pages kept until the catalogue changes
    def make_middleware(self, app, config):
        return catalogue_cache.install(
            search_outage.install(errors.install(headers.install(app))))

    # IClick
    def get_commands(self):
        return cli.get_commands()

    # IXloader: the tables the file checks load themselves are not xloader's
    def can_upload(self, resource_id):
        return datastore_load.xloader_may_load(resource_id)

    # IDCATRDFHarvester: harvested datasets onto the general type, with the
    # milestone link required and their series matched
    def before_create(self, harvest_object, dataset_dict, temp_dict):
        harvest.before_create(harvest_object, dataset_dict, temp_dict)

    def before_update(self, harvest_object, dataset_dict, temp_dict):
        harvest.before_update(harvest_object, dataset_dict, temp_dict)
