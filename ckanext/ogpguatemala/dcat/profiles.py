"""``ogp_guatemala``: the RDF profile of this portal, chained after
ckanext-dcat's ``euro_dcat_ap_3``.

What it adds to each dataset (and reads back when parsing):

- the action-plan link: ``dct:relation`` to the milestone and commitment
  URIs of this portal (``<site>/compromisos/PAN6-C3-H1``), each described as
  a SKOS concept (registry_graph.py) with labels in Spanish and English;
- geography: ``dct:spatial`` to Guatemala (EU country authority) and to one
  ``dct:Location`` per department/municipality, with its INE code as
  ``dct:identifier`` and ``skos:notation`` and its name as ``skos:prefLabel``;
- frequency and languages as EU authority URIs (stored as codes in CKAN);
- themes from the EU data-theme vocabulary, by dataset type (and by OC4IDS
  sector for infrastructure projects);
- the OC4IDS project identifier as ``adms:identifier`` and conformance to
  OC4IDS as ``dct:conformsTo``; a project's coordinates as ``dcat:centroid``.

Temporal coverage, contact point, publisher, licence and keywords come from
``euro_dcat_ap_3`` (the extension stores them under the field names it reads).
The recommended properties it leaves out are added where the portal has a
true value (recommended.py: catalogue licence and issue date, distribution
descriptions, projects' keywords and period, places' centroid and bounding
box from places.py); the catalogue also names the EU data-theme scheme as its
``dcat:themeTaxonomy`` and its publisher's type.
Namespaces and the generic steps (walking distributions, typed links,
agents, WKT/GeoJSON geometry, reading values) are ckanext-dcat's own.
"""
from __future__ import annotations

import json

from rdflib import BNode, Literal, URIRef

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles import ADMS, DCAT, DCT, FOAF, RDF, RDFS, SKOS, VCARD

from ckanext.ogpguatemala import geo, vocabularies
from ckanext.ogpguatemala.dcat import places, registry_graph, series
from ckanext.ogpguatemala.dcat.recommended import RecommendedProfile
from ckanext.ogpguatemala.linking import parse_codes
from ckanext.ogpguatemala.registry import get_registry

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language"
GUATEMALA = URIRef(EU_COUNTRY + "GTM")
OC4IDS_STANDARD = URIRef("https://standard.open-contracting.org/infrastructure/")
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
ADMS_PUBLISHER_TYPE_SCHEME = "http://purl.org/adms/publishertype/1.0"
# File types of the EU authority table that CKAN formats map to.
FILE_TYPES = {"CSV", "XLSX", "XLS", "ODS", "JSON", "GEOJSON", "XML", "PDF", "ZIP", "TXT",
              "HTML", "DOCX", "DOC", "ODT", "SHP", "KML", "KMZ", "RDF", "JSONLD", "TSV",
              "PNG", "JPEG", "GPKG", "PARQUET"}
ADMS_LICENCE_TYPE_SCHEME = "http://purl.org/adms/licencetype/1.0"
# The catalogue's description where ckan.site_description is not set.
CATALOG_DESCRIPTION = (
    "Datos abiertos de los compromisos del Plan de Acción Nacional de Gobierno Abierto de Guatemala",
    "Open data on the commitments of Guatemala's National Open Government Action Plan",
)
SCHEME_TITLES = {
    EU_COUNTRY.rstrip("/"): "Countries and territories",
    "http://publications.europa.eu/resource/authority/data-theme": "Data theme",
    EU_FILE_TYPE: "File type",
    EU_FREQUENCY: "Frequency",
    EU_LANGUAGE: "Language",
    ADMS_PUBLISHER_TYPE_SCHEME: "Publisher type",
    ADMS_LICENCE_TYPE_SCHEME: "Licence type",
}
THEME_LABELS = {
    "AGRI": ("Agricultura, pesca, silvicultura y alimentación", "Agriculture, fisheries, forestry and food"),
    "ECON": ("Economía y finanzas", "Economy and finance"),
    "EDUC": ("Educación, cultura y deporte", "Education, culture and sport"),
    "ENER": ("Energía", "Energy"),
    "ENVI": ("Medio ambiente", "Environment"),
    "GOVE": ("Gobierno y sector público", "Government and public sector"),
    "HEAL": ("Salud", "Health"),
    "SOCI": ("Población y sociedad", "Population and society"),
    "TECH": ("Ciencia y tecnología", "Science and technology"),
    "TRAN": ("Transporte", "Transport"),
}

# EU data themes of each dataset type.
THEMES = {
    "dataset": ["GOVE"],
    # a series of an action plan's periodic publications (its releases have
    # their own themes)
    "dataset_series": ["GOVE"],
    "sinsan-nutricion": ["HEAL", "AGRI"],
    "mintrab-movilidad": ["SOCI", "ECON"],
    "conamigua-informe": ["SOCI", "GOVE"],
    "oc4ids-proyecto": ["GOVE"],
}
# Extra themes of an infrastructure project, by OC4IDS sector (first part).
SECTOR_THEMES = {
    "health": "HEAL",
    "education": "EDUC",
    "transport": "TRAN",
    "energy": "ENER",
    "water": "ENVI",
    "naturalResources": "ENVI",
    "cultureSportsAndRecreation": "EDUC",
    "economy": "ECON",
    "socialHousing": "SOCI",
    "governance": "GOVE",
    "communications": "TECH",
}


def _lists(dataset_dict, key):
    return parse_codes(dataset_dict.get(key), upper=False)


def _location_uri(code: str) -> URIRef:
    return URIRef("%s/geo/ine/%s" % (registry_graph.base_uri(), code))


class OgpGuatemalaProfile(RecommendedProfile):
    """DCAT-AP 3 additions of the Guatemala OGP portal."""

    # ------------------------------------------------------------- output
    def graph_from_dataset(self, dataset_dict, dataset_ref):
        self._graph_links(dataset_dict, dataset_ref)
        self._graph_frequency(dataset_dict, dataset_ref)
        self._graph_languages(dataset_dict, dataset_ref)
        self._graph_spatial(dataset_dict, dataset_ref)
        self._graph_themes(dataset_dict, dataset_ref)
        self._graph_infrastructure(dataset_dict, dataset_ref)
        self._graph_agents(dataset_ref)
        self._graph_distributions(dataset_ref)
        self._graph_distribution_descriptions(dataset_dict, dataset_ref)
        self._graph_project_recommended(dataset_dict, dataset_ref)
        series.graph(self, dataset_dict, dataset_ref)

    def _graph_agents(self, dataset_ref):
        """Contact points are vCard Kinds; publishers are national
        authorities (ADMS publisher types)."""
        g = self.g
        for contact in g.objects(dataset_ref, DCAT.contactPoint):
            g.add((contact, RDF.type, VCARD.Kind))
        for publisher in g.objects(dataset_ref, DCT.publisher):
            self._national_authority(publisher)

    def _national_authority(self, publisher):
        """The publisher's dct:type, unless it has one: a national authority
        (the institutions of the plan and the catalogue's own publisher are
        bodies of Guatemala's central government)."""
        if self._object(publisher, DCT.type) is None:
            self.g.add((publisher, DCT.type, self._concept(
                ADMS_PUBLISHER_TYPE + "NationalAuthority", ADMS_PUBLISHER_TYPE_SCHEME,
                None, ("Autoridad nacional", "National authority"))))

    def _graph_distributions(self, dataset_ref):
        """Formats as EU file types (dct:MediaTypeOrExtent), not literals;
        media types as IANA IRIs (media_types.py)."""
        g = self.g
        for ref in self._distributions(dataset_ref):
            self._graph_media_type(ref)
            for licence in g.objects(ref, DCT.license):
                g.add((licence, RDF.type, DCT.LicenseDocument))
                for kind in g.objects(licence, DCT.type):
                    name = str(kind).rsplit("/", 1)[-1]
                    self._concept(kind, ADMS_LICENCE_TYPE_SCHEME, None, (name, name))
            for old in list(g.objects(ref, DCT["format"])):
                if not isinstance(old, Literal):
                    continue
                g.remove((ref, DCT["format"], old))
                code = str(old).strip().upper().lstrip(".")
                if code in FILE_TYPES:
                    fmt = self._concept("%s/%s" % (EU_FILE_TYPE, code), EU_FILE_TYPE,
                                        DCT.MediaTypeOrExtent, (code, code))
                else:
                    fmt = BNode()
                    g.add((fmt, RDF.type, DCT.MediaTypeOrExtent))
                    g.add((fmt, RDFS.label, Literal(str(old))))
                g.add((ref, DCT["format"], fmt))

    def graph_from_catalog(self, catalog_dict, catalog_ref):
        # the catalogue's languages as EU authority URIs, not a literal
        self._replace(catalog_ref, DCT.language, [self._concept(
            "%s/%s" % (EU_LANGUAGE, code), EU_LANGUAGE, DCT.LinguisticSystem,
            vocabularies.vocabulary("languages")[i]["label"])
            for i, code in enumerate(("SPA", "ENG"))])
        if self._object(catalog_ref, DCT.publisher) is None:
            self._add_agent_to_graph(catalog_ref, DCT.publisher, {
                "uri": tk.config.get("ckanext.ogpguatemala.catalog_publisher_uri")
                or registry_graph.base_uri() + "/#publisher",
                "name_translated": {
                    "es": tk.config.get("ckanext.ogpguatemala.catalog_publisher_name")},
            })
        for publisher in self.g.objects(catalog_ref, DCT.publisher):
            self._national_authority(publisher)
        self.g.add((catalog_ref, DCT.spatial, self._guatemala()))
        # the themes of every dataset are from the EU data-theme table
        themes = URIRef(EU_THEME.rstrip("/"))
        self.g.add((catalog_ref, DCAT.themeTaxonomy, themes))
        self.g.add((themes, RDF.type, SKOS.ConceptScheme))
        self.g.add((themes, DCT.title, Literal(SCHEME_TITLES[str(themes)], lang="en")))
        self._graph_catalog_recommended(catalog_ref)
        if self._object(catalog_ref, DCT.description) is None:
            # mandatory in DCAT-AP; euro_dcat_ap_3 only has ckan.site_description
            registry_graph.add_bilingual(self.g, catalog_ref, DCT.description,
                                         dict(zip(("es", "en"), CATALOG_DESCRIPTION)))
        self._graph_homepage(catalog_ref)

    def _graph_homepage(self, catalog_ref):
        """The catalogue's foaf:homepage as a foaf:Document. euro_dcat_ap_3
        gives the site URL, which is also the catalogue's own URI: the home
        page is then the site's root page (``<site>/``), so that the catalogue
        node is not typed a document."""
        g = self.g
        for page in list(g.objects(catalog_ref, FOAF.homepage)):
            if page == catalog_ref:
                g.remove((catalog_ref, FOAF.homepage, page))
                page = URIRef(str(page).rstrip("/") + "/")
                g.add((catalog_ref, FOAF.homepage, page))
            g.add((page, RDF.type, FOAF.Document))

    def _concept(self, uri_, scheme, rdf_class=None, label=None):
        """An authority-table URI, typed, labelled and placed in its scheme."""
        ref = URIRef(uri_)
        if (ref, SKOS.inScheme, URIRef(scheme)) in self.g and \
                (rdf_class is None or (ref, RDF.type, rdf_class) in self.g) and \
                (not label or (ref, SKOS.prefLabel, None) in self.g):
            return ref  # described already (a feed page names it for many datasets)
        self.g.add((ref, RDF.type, SKOS.Concept))
        self.g.add((ref, SKOS.inScheme, URIRef(scheme)))
        self.g.add((URIRef(scheme), RDF.type, SKOS.ConceptScheme))
        if scheme in SCHEME_TITLES:
            self.g.add((URIRef(scheme), DCT.title, Literal(SCHEME_TITLES[scheme], lang="en")))
        if rdf_class is not None:
            self.g.add((ref, RDF.type, rdf_class))
        if not isinstance(label, dict):
            label = dict(zip(("es", "en"), label or ()))
        registry_graph.add_bilingual(self.g, ref, SKOS.prefLabel, label)
        return ref

    def _guatemala(self):
        self._concept(GUATEMALA, EU_COUNTRY.rstrip("/"), DCT.Location, ("Guatemala", "Guatemala"))
        self._add_extent(GUATEMALA, places.COUNTRY)
        return GUATEMALA

    def _graph_links(self, dataset_dict, dataset_ref):
        reg = get_registry()
        commitments = []
        for code in _lists(dataset_dict, "ogp_milestones"):
            m = reg.milestones.get(code.upper())
            if not m:
                continue
            self.g.add((dataset_ref, DCT.relation, registry_graph.add_milestone(self.g, m)))
            if m.commitment_code not in commitments:
                commitments.append(m.commitment_code)
        for code in commitments:
            self.g.add((dataset_ref, DCT.relation, registry_graph.uri(code)))

    @staticmethod
    def _vocab_label(vocab, code):
        return (vocabularies.label(vocab, code, "es"), vocabularies.label(vocab, code, "en"))

    def _replace(self, subject, predicate, refs):
        """``refs`` in place of what euro_dcat_ap_3 wrote (stored codes as literals)."""
        self.g.remove((subject, predicate, None))
        for ref in refs:
            self.g.add((subject, predicate, ref))

    def _graph_frequency(self, dataset_dict, dataset_ref):
        code = vocabularies.normalise_frequency(dataset_dict.get("frequency") or "")
        if code:
            self._replace(dataset_ref, DCT.accrualPeriodicity, [self._concept(
                vocabularies.uri("frequencies", code), EU_FREQUENCY, DCT.Frequency,
                self._vocab_label("frequencies", code))])

    def _graph_languages(self, dataset_dict, dataset_ref):
        refs = []
        for code in _lists(dataset_dict, "language"):
            language_uri = vocabularies.uri("languages", code)
            if language_uri:
                scheme = EU_LANGUAGE if language_uri.startswith(EU_LANGUAGE) else \
                    language_uri.rsplit("/", 1)[0]
                refs.append(self._concept(language_uri, scheme, DCT.LinguisticSystem,
                                          self._vocab_label("languages", code)))
        if refs:
            self._replace(dataset_ref, DCT.language, refs)

    def _add_location(self, dataset_ref, ref):
        """``ref`` as a dct:spatial dct:Location of the dataset."""
        self._add_list_triple(dataset_ref, DCT.spatial, [ref], URIRef, _class=DCT.Location)

    def _graph_spatial(self, dataset_dict, dataset_ref):
        g = self.g
        if not dataset_dict.get("geo_level"):
            if dataset_dict.get("type") == "dataset_series":
                # a series covers Guatemala; each release says where exactly
                g.add((dataset_ref, DCT.spatial, self._guatemala()))
            return
        g.add((dataset_ref, DCT.spatial, self._guatemala()))
        places = [(c, geo.department_name(c), "departamento")
                  for c in _lists(dataset_dict, "geo_departments")]
        places += [(c, geo.municipality_name(c), "municipio")
                   for c in _lists(dataset_dict, "geo_municipalities")]
        for code, name, kind in places:
            if not name:
                continue
            ref = _location_uri(code)
            self._add_location(dataset_ref, ref)
            g.add((ref, DCT.identifier, Literal(code)))
            g.add((ref, SKOS.notation, Literal(code)))
            g.add((ref, SKOS.prefLabel, Literal(name, lang="es")))
            g.add((ref, RDFS.comment, Literal("%s de Guatemala (código INE %s)" % (kind, code),
                                              lang="es")))
            self._add_extent(ref, code)

    def _graph_themes(self, dataset_dict, dataset_ref):
        themes = list(THEMES.get(dataset_dict.get("type"), []))
        for sector in _lists(dataset_dict, "project_sector"):
            theme = SECTOR_THEMES.get(sector.split(".")[0])
            if theme and theme not in themes:
                themes.append(theme)
        for theme in themes:
            self.g.add((dataset_ref, DCAT.theme, self._concept(
                EU_THEME + theme, EU_THEME.rstrip("/"), None, THEME_LABELS.get(theme))))

    def _graph_infrastructure(self, dataset_dict, dataset_ref):
        g = self.g
        oc4ids_id = dataset_dict.get("oc4ids_id")
        if oc4ids_id:
            # the same adms:Identifier node euro_dcat_ap_3 writes for alternate_identifier
            identifier = BNode()
            g.add((dataset_ref, ADMS.identifier, identifier))
            g.add((identifier, RDF.type, ADMS.Identifier))
            g.add((identifier, SKOS.notation, Literal(oc4ids_id)))
            self._add_list_triple(dataset_ref, DCT.conformsTo, [OC4IDS_STANDARD], URIRef,
                                  _class=DCT.Standard)
        lat, lon = dataset_dict.get("latitude"), dataset_dict.get("longitude")
        if lat not in (None, "") and lon not in (None, ""):
            point = _location_uri("punto-%s" % dataset_dict.get("name"))
            self._add_location(dataset_ref, point)
            self._add_spatial_value_to_graph(point, DCAT.centroid, "POINT(%s %s)" % (lon, lat))

    # -------------------------------------------------------------- input
    def parse_dataset(self, dataset_dict, dataset_ref):
        milestones = []
        for value in self._object_value_list(dataset_ref, DCT.relation):
            code = registry_graph.code_of(value)
            if code and "-H" in code and code not in milestones:
                milestones.append(code)
        if milestones:
            self._set(dataset_dict, "ogp_milestones", milestones)

        frequency = self._object(dataset_ref, DCT.accrualPeriodicity)
        if frequency is not None:
            code = vocabularies.by_uri("frequencies", str(frequency)) \
                or vocabularies.normalise_frequency(str(frequency))
            if code:
                self._set(dataset_dict, "frequency", code)

        languages = [vocabularies.by_uri("languages", uri_)
                     for uri_ in self._object_value_list(dataset_ref, DCT.language)]
        if any(languages):
            self._set(dataset_dict, "language", [code for code in languages if code])

        self._parse_places(dataset_dict, dataset_ref)
        self._parse_media_types(dataset_dict)
        for resource in dataset_dict.get("resources", []):
            # the EU file type written for a format reads back as its code
            value = str(resource.get("format") or "")
            if value.startswith(EU_FILE_TYPE + "/"):
                resource["format"] = value[len(EU_FILE_TYPE) + 1:]
        series.parse(self, dataset_dict, dataset_ref)

        notations = []
        for identifier in self.g.objects(dataset_ref, ADMS.identifier):
            notation = self._object_value(identifier, SKOS.notation)
            if notation:
                notations.append(notation)
            if notation.startswith("oc4ids-"):
                self._set(dataset_dict, "oc4ids_id", notation)
        # euro_dcat_ap_3 reads adms:identifier nodes as their (blank node)
        # names, which change on every read: the notations are the identifiers
        for extra in dataset_dict.get("extras", []):
            if extra.get("key") == "alternate_identifier":
                extra["value"] = json.dumps(sorted(notations))

        # temporal coverage: euro_dcat_ap_3 leaves it as extras; the types
        # of this extension keep it in top-level fields
        extras = dataset_dict.get("extras", [])
        for extra in list(extras):
            if extra.get("key") in ("temporal_start", "temporal_end"):
                dataset_dict[extra["key"]] = str(extra["value"])[:10]
                extras.remove(extra)
        return dataset_dict

    def _parse_places(self, dataset_dict, dataset_ref):
        """INE departments and municipalities, Guatemala as a whole, and a
        project's point (a centroid in WKT or GeoJSON)."""
        departments, municipalities, national = [], [], False
        for place in self.g.objects(dataset_ref, DCT.spatial):
            if place == GUATEMALA:
                national = True
            code = self._object_value_multiple_predicate(place, [DCT.identifier, SKOS.notation])
            if len(code) == 2 and geo.department_name(code):
                departments.append(code)
            elif len(code) == 4 and geo.municipality_name(code):
                municipalities.append(code)
            if place == GUATEMALA or code:
                continue  # a department's or the country's centroid is not a project's point
            centroid = json.loads(self._parse_geodata(place, DCAT.centroid, None) or "{}")
            if centroid.get("type") == "Point":
                lon, lat = centroid["coordinates"][:2]
                self._set(dataset_dict, "longitude", str(lon))
                self._set(dataset_dict, "latitude", str(lat))
        if departments or municipalities or national:
            self._set(dataset_dict, "geo_departments", sorted(set(departments)))
            self._set(dataset_dict, "geo_municipalities", sorted(set(municipalities)))
            self._set(dataset_dict, "geo_level", "municipal" if municipalities
                      else "departamental" if departments else "nacional")

    def _set(self, dataset_dict, key, value):
        """Top-level field, whatever the parsing schema says (unlike
        ``_set_dataset_value``); drop a same-named extra another profile added."""
        dataset_dict[key] = value
        dataset_dict["extras"] = [e for e in dataset_dict.get("extras", [])
                                  if e.get("key") != key]
