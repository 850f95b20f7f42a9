"""Shared fixtures. Everything runs against the real PostgreSQL, Solr and
Redis that `make test` starts; nothing here replaces them."""
import pytest


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the activity plugin and of this
    extension (its alembic migrations, ``migration/ogpguatemala``)."""
    reset_db()
    migrate_db_for("activity")
    migrate_db_for("ogpguatemala")


@pytest.fixture
def stack(with_plugins, clean_db, clean_index):
    """The configured plugins loaded, an empty database and an empty Solr core."""
