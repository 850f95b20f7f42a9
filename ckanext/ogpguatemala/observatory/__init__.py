"""The open-data observatory (commitment 1, milestone 3 of PAN6): progress of
every commitment, milestone and institution, measured from what is published.

- ``catalogue``: plans, commitments and milestones with their public datasets
  (the ``/compromisos`` pages and the registry actions);
- ``indexing``: the observatory's facet values, written into each dataset's
  search document when it is indexed;
- ``status``, ``openness``, ``timeliness``: the documented rules (pure Python);
- ``figures``: every figure, from one Solr facet query over public datasets;
- ``exports``: the figures as CSV/JSON tables;
- ``assessments``: the assessments sysadmins record per milestone, with history.
"""
from .catalogue import (
    commitment_summary, counts, datasets_of, milestone_summary, plan_summary,
)

__all__ = ["counts", "plan_summary", "commitment_summary", "milestone_summary", "datasets_of"]
