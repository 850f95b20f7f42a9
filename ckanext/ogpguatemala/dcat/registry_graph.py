"""The plan registry as SKOS, at this portal's own URIs.

Each plan is a ``skos:ConceptScheme``; commitments and milestones are
``skos:Concept`` in it (commitments are top concepts, milestones have the
commitment as ``skos:broader``). Codes are ``skos:notation``; titles and
texts are ``skos:prefLabel`` / ``skos:definition`` in Spanish and English.
URIs are the observatory pages: ``<site>/compromisos/<code>``.
"""
from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef

from ckanext.dcat.profiles import DCT, RDF, SKOS
from ckanext.dcat.utils import catalog_uri

from ckanext.ogpguatemala.registry import get_registry

_CODE_IN_URI = re.compile(r"/compromisos/([A-Za-z][A-Za-z0-9]*(?:-C\d+(?:-H\d+)?)?)/?$")


def base_uri() -> str:
    """ckanext-dcat's catalogue URI (``ckanext.dcat.base_uri``, else the site URL)."""
    return catalog_uri().rstrip("/")


def uri(code: str) -> URIRef:
    return URIRef("%s/compromisos/%s" % (base_uri(), code))


def code_of(value) -> str | None:
    """The registry code a URI of ours (or of another portal with the same
    path) names, e.g. .../compromisos/PAN6-C3-H1 -> PAN6-C3-H1."""
    match = _CODE_IN_URI.search(str(value))
    return match.group(1).upper() if match else None


def add_bilingual(g, subject, predicate, value):
    """The Spanish and English texts of ``value`` ({"es": ..., "en": ...})."""
    for lang in ("es", "en"):
        text = (value or {}).get(lang)
        if text:
            g.add((subject, predicate, Literal(text, lang=lang)))


def _described(g: Graph, ref) -> bool:
    """Whether the graph already describes this registry entry (a feed page
    names the same commitments for many datasets: described once)."""
    return (ref, SKOS.notation, None) in g


def add_plan(g: Graph, plan) -> URIRef:
    ref = uri(plan.code)
    if _described(g, ref):
        return ref
    g.add((ref, RDF.type, SKOS.ConceptScheme))
    g.add((ref, SKOS.notation, Literal(plan.code)))
    add_bilingual(g, ref, SKOS.prefLabel, plan.title)
    add_bilingual(g, ref, DCT.title, plan.title)
    return ref


def add_commitment(g: Graph, commitment, with_plan: bool = True) -> URIRef:
    reg = get_registry()
    ref = uri(commitment.code)
    plan_ref = uri(commitment.plan_code)
    if _described(g, ref) and (not with_plan or _described(g, plan_ref)):
        return ref
    if with_plan:
        add_plan(g, reg.plans[commitment.plan_code])
    g.add((ref, RDF.type, SKOS.Concept))
    g.add((ref, SKOS.notation, Literal(commitment.code)))
    g.add((ref, SKOS.inScheme, plan_ref))
    g.add((ref, SKOS.topConceptOf, plan_ref))
    g.add((plan_ref, SKOS.hasTopConcept, ref))
    add_bilingual(g, ref, SKOS.prefLabel, commitment.title)
    add_bilingual(g, ref, SKOS.definition, commitment.description)
    return ref


def add_milestone(g: Graph, milestone, with_commitment: bool = True) -> URIRef:
    reg = get_registry()
    ref = uri(milestone.code)
    commitment_ref = uri(milestone.commitment_code)
    if _described(g, ref) and (not with_commitment or _described(g, commitment_ref)):
        return ref
    if with_commitment:
        add_commitment(g, reg.commitments[milestone.commitment_code])
    g.add((ref, RDF.type, SKOS.Concept))
    g.add((ref, SKOS.notation, Literal(milestone.code)))
    g.add((ref, SKOS.inScheme, uri(milestone.plan_code)))
    g.add((ref, SKOS.broader, commitment_ref))
    g.add((commitment_ref, SKOS.narrower, ref))
    label = {
        lang: "%s %d: %s" % ("Hito" if lang == "es" else "Milestone", milestone.number, text)
        for lang, text in milestone.text.items()
    }
    add_bilingual(g, ref, SKOS.prefLabel, label)
    add_bilingual(g, ref, SKOS.scopeNote, milestone.expected_results)
    return ref


def graph_for(code: str) -> Graph | None:
    """A graph describing a plan, commitment or milestone (with what is
    above and below it), or None for an unknown code."""
    reg = get_registry()
    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dct", DCT)
    kind = reg.kind_of(code)
    if kind == "plan":
        add_plan(g, reg.plans[code])
        for c in reg.plans[code].commitments:
            add_commitment(g, c, with_plan=False)
    elif kind == "commitment":
        add_commitment(g, reg.commitments[code])
        for m in reg.commitments[code].milestones:
            add_milestone(g, m, with_commitment=False)
    elif kind == "milestone":
        add_milestone(g, reg.milestones[code])
    else:
        return None
    return g
