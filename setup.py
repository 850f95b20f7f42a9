from setuptools import find_namespace_packages, setup

setup(
    name="ckanext-ogpguatemala",
    version="0.1.0",
    description=(
        "CKAN extension for Guatemala's Open Government Partnership "
        "National Action Plans: commitments, milestones and the datasets "
        "that fulfil them"
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    # ckanext is an implicit (PEP 420) namespace shared with other extensions.
    packages=find_namespace_packages(include=["ckanext.ogpguatemala", "ckanext.ogpguatemala.*"]),
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.10",
    install_requires=[
        # CKAN itself, ckanext-scheming and ckanext-dcat are installed from
        # requirements.txt (pinned); these are the extension's own needs.
        "PyYAML>=6",
        "requests>=2.31",
        "jsonschema>=4.18",
        "referencing",
        "pycountry",
        "frictionless>=5.18,<6",
        "openpyxl>=3.1,<4",
    ],
    entry_points={
        "ckan.plugins": [
            "ogpguatemala = ckanext.ogpguatemala.plugin:OgpGuatemalaPlugin",
        ],
        "ckan.rdf.profiles": [
            "ogp_guatemala = ckanext.ogpguatemala.dcat.profiles:OgpGuatemalaProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
