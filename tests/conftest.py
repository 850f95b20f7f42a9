"""Shared fixtures. Everything runs against the real PostgreSQL, Solr and
Redis that `make test` starts; nothing here replaces them."""
import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the activity plugin's own tables."""
    reset_db()
    migrate_db_for("activity")
