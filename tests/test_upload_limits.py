"""A file over ``ckan.max_resource_size`` is refused with a clear message in
the request's language, and nothing is written: no resource, no file in
storage, no new version of the dataset."""
import io
import os

import pytest

import ckan.plugins.toolkit as tk
import ckan.tests.helpers as helpers

from tests.helpers import make_people, spanish, valid

MESSAGE = "The file is larger than the %(limit)s MB this portal accepts; nothing was saved"
LIMIT_MB = 1

pytestmark = [pytest.mark.ckan_config("ckan.max_resource_size", LIMIT_MB),
              pytest.mark.usefixtures("stack")]


def _stored_files():
    root = os.path.join(tk.config["ckan.storage_path"], "resources")
    return sorted(os.path.join(d, f) for d, _, files in os.walk(root) for f in files)


def _csv(size):
    rows = b"departamento,valor\n"
    return rows + b"Guatemala,1\n" * ((size - len(rows)) // 12 + 1)


def _upload(app, action, token, body, lang="", **fields):
    return app.post("%s/api/3/action/%s" % (lang, action), headers={"Authorization": token},
                    data=dict(fields, upload=(io.BytesIO(body), "tabla.csv")))


def test_an_upload_over_the_limit_is_refused_and_nothing_is_written(app):
    people = make_people()
    editor = people["users"]["editor_a"]
    dataset = helpers.call_action("package_create", context={"user": editor["name"]},
                                  **valid("dataset", name="con-archivo-grande",
                                          owner_org=people["org_a"]["id"]))
    files_before = _stored_files()
    too_big = _csv(LIMIT_MB * 1024 * 1024 + 50_000)

    response = _upload(app, "resource_create", editor["token"], too_big,
                       package_id=dataset["id"], name="grande", format="CSV")
    assert response.status_code == 409, response.get_data(as_text=True)[:500]
    assert response.json["error"]["upload"] == [spanish(MESSAGE, limit=LIMIT_MB)]
    response = _upload(app, "resource_create", editor["token"], too_big, lang="/en",
                       package_id=dataset["id"], name="grande", format="CSV")
    assert response.json["error"]["upload"] == [MESSAGE % {"limit": LIMIT_MB}]

    after = helpers.call_action("package_show", id=dataset["id"])
    assert after["resources"] == []
    assert after["metadata_modified"] == dataset["metadata_modified"]
    assert _stored_files() == files_before

    # a file within the limit is stored; replacing it with one over the limit
    # keeps the first
    small = _csv(200_000)
    response = _upload(app, "resource_create", editor["token"], small,
                       package_id=dataset["id"], name="pequeña", format="CSV")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    resource = response.json["result"]
    stored = _stored_files()
    (new_file,) = set(stored) - set(files_before)

    response = _upload(app, "resource_update", editor["token"], too_big,
                       id=resource["id"], name="reemplazo", format="CSV")
    assert response.status_code == 409
    assert response.json["error"]["upload"] == [spanish(MESSAGE, limit=LIMIT_MB)]
    kept = helpers.call_action("resource_show", id=resource["id"])
    assert (kept["name"], kept["url"], kept["size"]) == ("pequeña", resource["url"],
                                                         resource["size"])
    assert _stored_files() == stored
    with open(new_file, "rb") as f:
        assert f.read() == small
