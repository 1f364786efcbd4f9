"""Another province adopts the portal by its data folder alone: site.json, logo, templates."""
import json
import logging
import re
from datetime import date

import pytest
from flask import render_template_string

from redpinar import theme
from redpinar.store.demo import demo_provinces
from tests.conftest import make_app
from tests.language import english
from tests.test_pages import page_text

ARTEMISA_MUNICIPALITIES = [
    "Bahía Honda", "Mariel", "Guanajay", "Caimito", "Bauta", "San Antonio de los Baños",
    "Güira de Melena", "Alquízar", "Artemisa", "Candelaria", "San Cristóbal",
]


@pytest.fixture
def artemisa(data_dir):
    """The portal serving the Artemisa example province."""
    return make_app(data_dir, province="artemisa")


def test_artemisa_runs_the_same_code_with_its_own_name_municipalities_and_colours(artemisa):
    response = artemisa.test_client().get("/")
    text = page_text(response)
    assert "Gobierno Provincial de Artemisa" in text
    assert "Pinar del Río" not in text
    for municipality in ARTEMISA_MUNICIPALITIES:
        assert municipality in text
    assert "--primary:#7a1f2b" in response.get_data(as_text=True)


def test_artemisa_overrides_a_template_from_its_theme_folder(artemisa):
    client = artemisa.test_client()
    assert "Portal de Artemisa: sepa qué necesita cada trámite" in page_text(client.get("/"))
    assert "Artemisa's portal: find out what each procedure needs" in page_text(client.get(english("/")))


def test_artemisa_logo_comes_from_its_theme_folder(artemisa):
    client = artemisa.test_client()
    logo_url = re.search(r'src="(/tema/logo\.svg\?v=\w+)"', client.get("/").get_data(as_text=True)).group(1)
    logo = client.get(logo_url)
    assert logo.status_code == 200 and b"#7a1f2b" in logo.get_data()


def test_any_template_can_be_overridden_by_dropping_a_file_in_the_theme_folder(data_dir):
    (data_dir / "theme" / "templates" / "partials").mkdir(parents=True)
    (data_dir / "theme" / "templates" / "partials" / "footer.html").write_text(
        '<footer class="site-footer"><p>Pie propio de la provincia</p></footer>', encoding="utf-8")
    client = make_app(data_dir).test_client()
    text = page_text(client.get("/"))
    assert "Pie propio de la provincia" in text
    assert "Contacto" not in text


def test_every_shipped_example_province_passes_the_checks(data_dir, app):
    with app.app_context():
        assert demo_provinces() == ["artemisa", "pinar-del-rio"]
    for province in ("pinar-del-rio", "artemisa"):
        folder = data_dir / "provinces" / province
        folder.mkdir(parents=True)
        app = make_app(folder, province=province)
        assert app.config["PROVINCE_PROBLEMS"] == []
        result = app.test_cli_runner().invoke(args=["check"])
        assert result.exit_code == 0, result.output


def test_start_up_names_the_colour_pair_that_fails_contrast(data_dir, caplog):
    make_app(data_dir)
    site_file = data_dir / "site.json"
    site = json.loads(site_file.read_text(encoding="utf-8"))
    site["colours"]["on_primary"] = "#8fbf9f"
    site_file.write_text(json.dumps(site), encoding="utf-8")
    with caplog.at_level(logging.ERROR):
        app = make_app(data_dir, province=None)
    assert any("'on_primary' #8fbf9f on 'primary' #0b5a3a" in problem for problem in app.config["PROVINCE_PROBLEMS"])
    assert "'on_primary' #8fbf9f on 'primary' #0b5a3a have contrast" in caplog.text


def test_a_broken_theme_template_is_named_by_check(data_dir):
    app = make_app(data_dir)
    (data_dir / "theme" / "templates" / "public").mkdir(parents=True, exist_ok=True)
    (data_dir / "theme" / "templates" / "public" / "home_intro.html").write_text("{% if %}", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "theme/templates/public/home_intro.html" in result.output


def test_contrast_ratios_follow_wcag():
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert theme.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    problems = theme.colour_problems({"text": "#777777"})
    assert any("'background'" in problem and "#rrggbb" in problem for problem in problems)


@pytest.mark.parametrize("language, expected", [("es", "28 de noviembre de 2026"), ("en", "November 28, 2026")])
def test_dates_are_written_the_way_each_language_writes_them(app, language, expected):
    with app.test_request_context("/", environ_overrides={"redpinar.language": language} if language == "en" else {}):
        app.preprocess_request()
        assert render_template_string("{{ day|date }}", day=date(2026, 11, 28)) == expected
