"""RDF for harvesters: the DCAT-AP profile of this portal (profiles.py)
and the plan registry as SKOS (registry_graph.py)."""
