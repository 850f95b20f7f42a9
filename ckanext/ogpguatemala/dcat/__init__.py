"""RDF for harvesters: the DCAT-AP profile of this portal (profiles.py),
the plan registry as SKOS (registry_graph.py) and its RDF at
/compromisos/<code> (views.py)."""
