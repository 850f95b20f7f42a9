"""Checked tables in CKAN's DataStore: loading them with ckanext-xloader's
loader (typed columns), and the XLSX download beside CKAN's own dumps.

- load.py   a checked table's clean CSV into the DataStore, column types
            and labels from the table's schema (or the types the check
            inferred); the preview view
- xlsx.py   ``/datastore/dump/<resource_id>.xlsx``: a DataStore table as a
            spreadsheet, streamed
"""
