"""Small helpers shared by the tests (no fixtures that replace services)."""
import ckan.model as model
import ckan.tests.factories as factories
import ckan.tests.helpers as helpers

SHARED = __import__("os").path.join(
    __import__("os").path.dirname(__file__), "..", "..", "shared"
)


def sysadmin_context():
    user = factories.Sysadmin()
    return {"user": user["name"]}


def create(context, **fields):
    return helpers.call_action("package_create", context=dict(context), **fields)


def dataset_count():
    """Datasets in the database, whatever their state."""
    return model.Session.query(model.Package).count()
