"""The ``ogpguatemala`` plugin: wiring only.

Each concept of the extension lives in its own module; this class connects
them to CKAN's plugin interfaces and holds no logic of its own.
"""
import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.ogpguatemala import registry


@tk.blanket.config_declarations
class OgpGuatemalaPlugin(p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)

    # IConfigurer
    def update_config(self, config):
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")

    # IConfigurable
    def configure(self, config):
        registry.configure(
            extra_files=tk.aslist(config.get("ckanext.ogpguatemala.registry_files")),
            builtin=tk.asbool(config.get("ckanext.ogpguatemala.builtin_registry")),
        )
