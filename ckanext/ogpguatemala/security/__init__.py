"""What keeps the portal safe beyond CKAN's own auth functions.

- listings.py  chained CKAN core actions that list tags, formats and members
               across the whole site, so that they only list what the caller
               may see (CKAN reads them straight from the database, private
               and draft datasets included)
- headers.py   security headers on every response
- errors.py    wrong requests answered 400/403/404/409 instead of a 500
"""
