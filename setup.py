import glob
import os

from setuptools import find_namespace_packages, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))


class BuildWithCatalogue(build_py):
    """Compiles the gettext catalogues (.po -> .mo) into the build, so an
    install from source has translations without a committed binary."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in glob.glob(os.path.join(HERE, "ckanext", "ogpguatemala", "i18n", "*",
                                         "LC_MESSAGES", "*.po")):
            rel = os.path.relpath(po, HERE)
            target = os.path.join(self.build_lib, rel[:-3] + ".mo")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(po, "rb") as f:
                catalog = read_po(f)
            with open(target, "wb") as f:
                write_mo(f, catalog)

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
        # CKAN itself (2.12) is the host application and is not named here;
        # requirements.txt pins the tested versions of everything.
        "ckanext-scheming>=3.1,<4",
        "ckanext-dcat>=2.4,<3",
        "ckanext-dataset-series>=0.1.1,<0.2",
        "ckanext-harvest>=1.6,<2",
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
    },
    cmdclass={"build_py": BuildWithCatalogue},
)
