"""ckanext-scheming YAML schemas and presets of the extension."""
