"""OC4IDS infrastructure projects in CKAN (commitment 3 of PAN6).

The standard itself (schemas, validation, project <-> fields mapping) is the
pure-Python ``oc4ids`` package; this package connects it to CKAN, one job
per module:

- ``settings``: where the schema is (``ckanext.ogpguatemala.oc4ids_schema``,
  by default the copy shipped in ``oc4ids/standard``), size limit, and the
  choices of the ``oc4ids-proyecto`` form (from the same codelists);
- ``fields``: validators of the type's fields;
- ``filling``: empty dataset fields filled from a validated project file;
- ``importing``: project packages imported as datasets (CLI, or a background
  job through the ``ogp_oc4ids_import`` action);
- ``publishing``: what the portal holds, as OC4IDS (one project, or the
  package of all public projects).
"""
DATASET_TYPE = "oc4ids-proyecto"
