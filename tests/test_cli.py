"""The operator's commands: check, load-demo, create-admin."""
import json
import os

from redpinar.store import users
from tests.conftest import make_app


def test_check_accepts_the_example_province(runner):
    result = runner.invoke(args=["check"])
    assert result.exit_code == 0, result.output
    assert "is valid" in result.output


def test_check_names_the_file_and_the_document_that_are_wrong(app, runner):
    path = os.path.join(app.config["DATA_DIR"], "content", "topics.json")
    with open(path, encoding="utf-8") as handle:
        tables = json.load(handle)
    document = tables["_default"]["3"]
    del document["updated"]
    document["schema"] = 99
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(tables, handle)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert f"content/topics.json: document 3 (id '{document['id']}'): 'updated' is not an ISO 8601" in result.output
    assert "content/topics.json: document 3" in result.output and "'schema' must be a version" in result.output


def test_check_reports_a_file_that_is_not_json(app, runner):
    with open(os.path.join(app.config["DATA_DIR"], "content", "news.json"), "w") as handle:
        handle.write('{"_default": {"1": {"id": "x"')
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "content/news.json: is not valid JSON" in result.output


def test_check_names_the_colour_pair_that_fails_contrast(app, runner):
    path = os.path.join(app.config["DATA_DIR"], "site.json")
    with open(path, encoding="utf-8") as handle:
        site = json.load(handle)
    site["colours"]["link"] = "#9ab8d6"
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(site, handle)
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "colours 'link' #9ab8d6 on 'background' #ffffff have contrast" in result.output
    assert "below the 4.5:1" in result.output


def test_load_demo_fills_an_empty_folder_and_refuses_a_loaded_one(data_dir):
    app = make_app(data_dir, province=None)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    assert os.path.exists(data_dir / "site.json")
    assert os.path.exists(data_dir / "theme" / "static" / "logo.svg")
    again = runner.invoke(args=["load-demo"])
    assert again.exit_code != 0
    assert "already holds a province" in again.output
    quiet = runner.invoke(args=["load-demo", "--if-empty"])
    assert quiet.exit_code == 0 and "nothing changed" in quiet.output


def test_load_demo_of_an_unknown_province_lists_the_known_ones(data_dir):
    runner = make_app(data_dir, province=None).test_cli_runner()
    result = runner.invoke(args=["load-demo", "--province", "atlantida"])
    assert result.exit_code != 0
    assert "artemisa" in result.output and "pinar-del-rio" in result.output


def test_create_admin_stores_only_a_slow_hash(app, runner):
    result = runner.invoke(args=["create-admin", "webmaster", "--password-stdin"],
                           input="una clave larga y buena\n")
    assert result.exit_code == 0, result.output
    with open(os.path.join(app.config["DATA_DIR"], "users.json"), encoding="utf-8") as handle:
        stored = handle.read()
    assert "una clave larga y buena" not in stored
    assert "scrypt:" in stored
    with app.app_context():
        assert users.verify_password("webmaster", "una clave larga y buena")
        assert users.verify_password("webmaster", "otra clave cualquiera") is None


def test_create_admin_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["create-admin", "webmaster", "--password-stdin"], input="corta\n")
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    assert not os.path.exists(os.path.join(app.config["DATA_DIR"], "users.json"))
