"""The portal in a real browser: Debian's chromium, headless, driven by
Selenium through Debian's chromedriver, against the live test portal
(`services/ckan.sh live-test`, the `portal` fixture in conftest.py).

1. An institution's editor logs in, chooses a kind of data, fills the form,
   picks commitment → milestone, sees a field error next to its field, fixes
   it, uploads a file and publishes.
2. An anonymous visitor finds a dataset through a facet, opens it and
   switches to English.
3. The home page (commitments with progress, types with counts) and the
   observatory (Chart.js charts drawn) render.
4. An OC4IDS project's page draws its location on the map.

Every step writes a screenshot (``NN-step.png``) to $OGP_ARTIFACTS (default
.run/artifacts/browser, git-ignored); a failing test adds FAILED-<test>.png.
Browser console errors of the portal's pages fail the step that shows them.
"""
import glob
import os
import re
import secrets

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.conftest import ARTIFACTS_KEY, ROOT
from tests.helpers import valid

CHROMIUM = os.environ.get("OGP_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("OGP_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = os.path.abspath(os.environ.get("OGP_ARTIFACTS")
                            or os.path.join(ROOT, ".run", "artifacts", "browser"))
REPORT = os.path.join(ROOT, "tests", "data", "mintrab", "valid.csv")
WAIT = 20  # seconds any one thing may take to appear
COMMITMENTS = ["PAN6-C%d" % n for n in range(1, 7)]


class Browser:
    """A chromium session on the live portal: page loads, explicit waits,
    form helpers, numbered screenshots and the console check."""

    def __init__(self, driver, url, folder):
        self.driver, self.url, self.folder = driver, url, folder
        self.count = 0
        self.outside = []  # console errors of other hosts (reported, not failed)

    # -- navigation and waits ------------------------------------------------
    def go(self, path):
        self.driver.get(self.url + path)

    def wait(self, condition, message="", seconds=WAIT):
        return WebDriverWait(self.driver, seconds).until(condition, message)

    def find(self, css):
        """The element matching ``css`` once it is in the page."""
        return self.wait(EC.presence_of_element_located((By.CSS_SELECTOR, css)),
                         "nothing matches %s on %s" % (css, self.driver.current_url))

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def wait_url(self, pattern):
        """Wait until the address matches the regular expression ``pattern``."""
        self.wait(lambda d: re.search(pattern, d.current_url),
                  "address %s does not match %s" % (self.driver.current_url, pattern))
        return self.driver.current_url

    def click(self, target):
        element = self.find(target) if isinstance(target, str) else target
        self.scroll_to(element)
        self.wait(EC.element_to_be_clickable(element), "cannot click %s" % target)
        element.click()

    def scroll_to(self, element):
        # at once: Bootstrap makes scrolling smooth, and a click during the
        # animation would land on whatever is under the pointer
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)

    # -- forms -----------------------------------------------------------------
    def fill(self, field, text):
        element = self.find("#field-" + field)
        self.scroll_to(element)
        element.clear()
        element.send_keys(text)

    def select(self, field, value):
        """A plain <select>: choose the option with ``value``."""
        element = self.find("#field-" + field)
        self.scroll_to(element)
        Select(element).select_by_value(value)

    def choose(self, field, text):
        """A select2 box (CKAN's autocomplete module): type ``text`` into its
        search field and take the first match, as a user does."""
        container = self.find("#field-%s + .select2-container" % field)
        self.click(container)
        search = self.wait(EC.visibility_of_element_located(
            (By.CSS_SELECTOR, ".select2-container--open .select2-search__field")),
            "the %s box did not open" % field)
        search.send_keys(text)
        self.wait(EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".select2-results__option--highlighted"), text),
            "no %r among the choices of %s" % (text, field))
        search.send_keys(Keys.ENTER)
        # a multiple box's list stays open: close it, as Escape does
        if self.find_all(".select2-container--open"):
            search.send_keys(Keys.ESCAPE)
        self.wait(lambda d: not self.find_all(".select2-container--open"),
                  "the %s box did not close" % field)

    def field_error(self, field):
        """The error block CKAN shows next to the field (empty string if none)."""
        blocks = self.driver.find_elements(
            By.XPATH, "//*[@id='field-%s']/ancestor::div[contains(@class, 'form-group')][1]"
                      "//*[contains(@class, 'error-block')]" % field)
        return " ".join(b.text for b in blocks).strip()

    # -- evidence --------------------------------------------------------------
    def shot(self, name):
        """Screenshot NN-name.png of the current page, then fail on the
        console errors it logged."""
        self.count += 1
        path = os.path.join(self.folder, "%02d-%s.png" % (self.count, name))
        self.driver.save_screenshot(path)
        print("screenshot:", path)
        self.check_console(name)
        return path

    def check_console(self, step):
        ours = []
        for entry in self.driver.get_log("browser"):
            if entry["level"] != "SEVERE":
                continue
            # scripts that threw, and failed loads of the portal's own files
            if entry["source"] == "javascript" or self.url in entry["message"]:
                ours.append(entry["message"])
            else:
                self.outside.append(entry["message"])
        assert not ours, "browser console errors at step %r:\n%s" % (step, "\n".join(ours))


@pytest.fixture(scope="module")
def browser(portal, request):
    os.makedirs(ARTIFACTS, exist_ok=True)
    for old in glob.glob(os.path.join(ARTIFACTS, "[0-9][0-9]-*.png")) + \
            glob.glob(os.path.join(ARTIFACTS, "FAILED-*.png")):
        os.remove(old)
    request.config.stash.setdefault(ARTIFACTS_KEY, []).append(ARTIFACTS)

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=es", "--no-first-run",
                "--disable-extensions", "--disable-background-networking"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "es-GT,es"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for program, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not os.access(program, os.X_OK):
            pytest.fail("%s not found: install Debian's %s (services/deps.sh does)"
                        % (program, package))
    # The driver's path given explicitly: Selenium Manager never runs (it
    # would try to download a driver).
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    b = Browser(driver, portal["url"], ARTIFACTS)
    try:
        yield b
    finally:
        if b.outside:
            print("console errors of other hosts (not failed):", *sorted(set(b.outside)),
                  sep="\n  ")
        driver.quit()


@pytest.fixture(autouse=True)
def _screenshot_on_failure(browser, request):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        path = os.path.join(ARTIFACTS, "FAILED-%s.png" % request.node.name)
        browser.driver.save_screenshot(path)
        print("screenshot of the failure:", path)


@pytest.fixture(scope="module")
def editor(portal):
    """A user with a password, editor of the registry's MINTRAB organization."""
    api = portal["api"]
    user = {"name": "editor-mintrab-" + secrets.token_hex(4),
            "password": secrets.token_urlsafe(12)}
    api.action.user_create(email=user["name"] + "@mintrab.example.org", **user)
    api.action.organization_member_create(id="mintrab", username=user["name"], role="editor")
    return user


def word():
    """A random word of letters only: Solr splits words at digits, so a
    hexadecimal token would match unrelated datasets."""
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


def log_in(b, user):
    b.driver.delete_all_cookies()
    b.go("/user/login")
    b.fill("login", user["name"])
    b.fill("password", user["password"])
    b.click("form[method=post] .form-actions button[type=submit]")
    b.find('a[href="/user/%s"]' % user["name"])


def log_out(b):
    b.driver.delete_all_cookies()


def test_an_editor_publishes_a_dataset(browser, portal, editor):
    b = browser
    token = word()
    title = "Movilidad laboral, prueba de navegador %s" % token

    log_in(b, editor)
    assert b.find("html").get_attribute("lang") == "es"
    b.shot("logged-in")

    # "Agregar conjunto de datos" on the dataset list → the kind-of-data chooser
    b.go("/dataset/")
    b.click(b.wait(EC.presence_of_element_located((
        By.XPATH, "//*[contains(@class, 'page_primary_action')]"
                  "//a[contains(., 'conjunto de datos')]")), "no button to add a dataset"))
    b.wait_url(r"/publicar$")
    b.find('a.ogp-type-choice[data-type="mintrab-movilidad"]')
    b.shot("chooser")
    b.click('a.ogp-type-choice[data-type="mintrab-movilidad"]')
    b.wait_url(r"/mintrab-movilidad/new$")
    legends = [e.text for e in b.find_all("fieldset.ogp-form-section > legend")]
    assert len(legends) >= 3 and all(legends), legends

    # the form, with one error: more people placed than applied
    b.fill("title", title)
    b.fill("notes", "Informe mensual de movilidad laboral (prueba automática).")
    b.fill("reporting_month", "2024-05")
    b.select("programme", "movilidad_laboral_eeuu")
    b.choose("destination_countries", "Estados Unidos")
    b.fill("employers_count", "12")
    b.fill("applicants_count", "340")
    b.fill("placed_count", "400")
    b.fill("source_register", "Registro del Programa de Movilidad Laboral")
    b.fill("contact_email", "movilidad@mintrab.example.org")
    b.select("private", "False")
    assert "mintrab" in Select(b.find("#field-organizations")).first_selected_option.text.lower()

    # the milestone picker: MINTRAB's commitment is suggested and open;
    # another commitment opens on demand, found with the filter
    picker = b.find("#ogp-milestone-picker")
    suggested = b.find('details.ogp-commitment-group[data-commitment="PAN6-C6"]')
    assert suggested.get_attribute("open") is not None
    assert "ogp-suggested" in suggested.get_attribute("class")
    # any other commitment opens on demand and shows its milestones
    other = b.find('details.ogp-commitment-group[data-commitment="PAN6-C4"]')
    assert other.get_attribute("open") is None
    b.click(other.find_element(By.TAG_NAME, "summary"))
    b.wait(lambda d: other.find_element(By.NAME, "ogp_milestones").is_displayed(),
           "opening PAN6-C4 did not show its milestones")
    b.click(other.find_element(By.TAG_NAME, "summary"))
    # the filter finds a milestone by its code
    filter_box = b.find("#ogp-milestone-filter")
    b.click(filter_box)
    filter_box.send_keys("PAN6-C6-H2")
    b.wait(lambda d: not other.is_displayed(), "the filter did not hide other commitments")
    b.click('input[type=checkbox][name=ogp_milestones][value="PAN6-C6-H2"]')
    filter_box.send_keys(Keys.CONTROL, "a")
    filter_box.send_keys(Keys.DELETE)
    b.wait(lambda d: other.is_displayed(), "emptying the filter did not show every commitment")
    b.scroll_to(picker)
    b.shot("form-filled")

    b.click("#dataset-edit button[name=save]")
    b.find(".error-explanation")
    # next to the field, in Spanish, naming the field it is compared with
    error = b.field_error("placed_count")
    applicants = b.find("label[for=field-applicants_count]").text.strip(" *:")
    assert "340" in error and applicants in error, error
    b.scroll_to(b.find("#field-placed_count"))
    b.shot("field-error")

    # the entries survived the round trip; fix the error and go on
    assert b.find("#field-title").get_attribute("value") == title
    assert b.find('input[name=ogp_milestones][value="PAN6-C6-H2"]').is_selected()
    b.fill("placed_count", "215")
    b.click("#dataset-edit button[name=save]")

    # second stage: the file
    b.wait_url(r"/resource/new$")
    name = re.search(r"/mintrab-movilidad/([^/]+)/resource/new$", b.driver.current_url).group(1)
    upload = b.find("input[type=file][name=upload]")
    upload.send_keys(REPORT)
    b.wait(lambda d: b.find("#field-name").get_attribute("value"),
           "the resource name was not filled in from the file")
    b.shot("resource-file")
    b.click("button[name=save][value=go-metadata]")

    # published: the dataset page shows it with its file, which the jobs
    # worker checks in the background (the badge turns from pending to valid)
    b.wait_url(r"/mintrab-movilidad/%s$" % re.escape(name))
    assert b.find("h1").text.strip().startswith(title)
    assert "valid.csv" in b.find(".resource-list").text
    b.shot("published")
    shown = portal["api"].action.package_show(id=name)
    assert shown["state"] == "active" and not shown["private"]
    assert shown["ogp_milestones"] == ["PAN6-C6-H2"] and shown["placed_count"] == 215
    assert shown["destination_countries"] == ["US"]
    assert len(shown["resources"]) == 1
    b.wait(lambda d: d.refresh() or b.find_all(".resource-list .ogp-check-valid"),
           "the uploaded report was not checked as valid", seconds=90)
    b.shot("file-checked")
    log_out(b)


@pytest.fixture(scope="module")
def published(portal):
    """A dataset only this test's visitor looks for (its title has a token)."""
    token = word()
    return portal["api"].action.package_create(**valid(
        "mintrab-movilidad", name="movilidad-visitante-" + token, owner_org="mintrab",
        title="Movilidad laboral visitante %s" % token, ogp_milestones=["PAN6-C6-H2"]))


def test_a_visitor_finds_a_dataset_by_facet_and_reads_it_in_english(browser, published):
    b = browser
    log_out(b)
    token = published["title"].split()[-1]
    b.go("/dataset/")
    # the Compromiso facet, then the visitor's words within it
    assert b.find("html").get_attribute("lang") == "es"
    b.click('nav[aria-label*="Compromiso"] a[href*="ogp_commitments=PAN6-C6"]')
    b.wait_url(r"ogp_commitments=PAN6-C6")
    # the facet is applied once the search form carries it (CKAN swaps the
    # results in place)
    b.find('form.search-form input[type=hidden][name=ogp_commitments][value="PAN6-C6"]')
    b.shot("facet")
    search = b.find("form.search-form input[name=q]")
    search.send_keys(token, Keys.ENTER)
    b.wait_url(r"q=%s" % token)
    assert "ogp_commitments=PAN6-C6" in b.driver.current_url
    hits = b.find_all(".dataset-list .dataset-heading a")
    assert [h.text.strip() for h in hits] == [published["title"]]
    b.shot("found")

    b.click(hits[0])
    b.wait_url(r"/mintrab-movilidad/%s$" % published["name"])
    body = b.find("body").text
    assert "Frecuencia de actualización" in body and "Update frequency" not in body
    b.shot("dataset-es")

    # the footer's language selector
    b.click("#field-lang-select + .select2-container")
    b.click(b.wait(EC.element_to_be_clickable(
        (By.XPATH, "//li[contains(@class, 'select2-results__option')]"
                   "[normalize-space()='English']"))))
    b.wait_url(r"/en/mintrab-movilidad/%s$" % published["name"])
    assert b.find("html").get_attribute("lang") == "en"
    body = b.find("body").text
    assert "Update frequency" in body and "Frecuencia de actualización" not in body
    assert published["title"] in body
    b.shot("dataset-en")


def test_the_home_page_and_the_observatory_render_with_their_figures(browser, portal):
    b = browser
    log_out(b)
    b.go("/")
    section = b.find("section#ogp-home-commitments")
    cards = section.find_elements(By.CSS_SELECTOR, ".ogp-commitment-card")
    assert [c.get_attribute("data-commitment") for c in cards] == COMMITMENTS
    values = []
    for card in cards:
        bar = card.find_element(By.CSS_SELECTOR, ".progress-bar[role=progressbar]")
        values.append(float(bar.get_attribute("aria-valuenow")))
        # the bar is drawn as wide as its value
        track = bar.find_element(By.XPATH, "..").size["width"]
        assert abs(bar.size["width"] - track * values[-1] / 100) <= 2, (card.text, values[-1])
    # the progress the observatory computes, as the portal's API gives it
    observatory = portal["api"].action.ogp_observatory_show()
    progress = {c["code"]: c["progress"] for c in observatory["commitments"]}
    assert values == [progress[code] for code in COMMITMENTS]
    types = {t.get_attribute("data-type"): t
             for t in b.find_all("section#ogp-home-types .ogp-type-card")}
    assert {"sinsan-nutricion", "mintrab-movilidad", "oc4ids-proyecto"} <= set(types)
    for dataset_type, card in types.items():
        count = portal["api"].action.package_search(
            fq="dataset_type:%s" % dataset_type, rows=0)["count"]
        shown = re.sub(r"\D", "", card.find_element(By.CSS_SELECTOR, ".ogp-count").text)
        assert int(shown) == count, dataset_type
    b.shot("home")

    # the home's search box leads to the dataset search
    search = b.find("form#ogp-home-search input[name=q]")
    b.click(search)
    search.send_keys("movilidad", Keys.ENTER)
    b.wait_url(r"/dataset/?\?q=movilidad")
    b.find(".dataset-list")

    b.go("/observatorio")
    canvases = b.find_all("canvas")
    assert canvases, "no chart on /observatorio"
    for canvas in canvases:
        b.scroll_to(canvas)
        drawn = b.wait(lambda d: d.execute_script(CHART_DRAWN, canvas),
                       "chart %s was not drawn" % canvas.get_attribute("id"))
        assert drawn["width"] > 0 and drawn["height"] > 0, drawn
        assert drawn["labels"] == drawn["rows"] > 0, drawn
        assert drawn["painted"] > 0, drawn
    b.driver.execute_script("window.scrollTo({top: 0, behavior: 'instant'})")
    b.shot("observatory")


def test_a_visitor_sees_an_infrastructure_project_on_the_map(browser, portal):
    b = browser
    log_out(b)
    projects = portal["api"].action.package_search(
        fq="dataset_type:oc4ids-proyecto", sort="name asc", rows=1)["results"]
    assert projects, "the live portal has no OC4IDS project (demo data)"
    project = projects[0]
    b.go("/oc4ids-proyecto/" + project["name"])
    box = b.find("#ogp-project-map")
    assert float(box.get_attribute("data-lat")) == float(project["latitude"])
    assert float(box.get_attribute("data-lon")) == float(project["longitude"])
    # Leaflet drew the departments' outline and the project's point
    b.wait(lambda d: "leaflet-container" in box.get_attribute("class")
           and len(box.find_elements(By.CSS_SELECTOR, "path.leaflet-interactive")) > 1,
           "the map was not drawn")
    b.scroll_to(box)
    assert box.size["width"] > 0 and box.size["height"] > 0
    b.shot("project-map")


# The Chart.js chart on a canvas, its size, its categories, the rows of the
# table it is drawn from, and how many of its pixels are painted.
CHART_DRAWN = """
const canvas = arguments[0];
const chart = window.Chart && Chart.getChart(canvas);
if (!chart) { return null; }
const table = document.querySelector('table[data-ogp-chart="' + canvas.id + '"]');
const ctx = canvas.getContext('2d');
const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
let painted = 0;
for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) { painted++; } }
return {width: canvas.clientWidth, height: canvas.clientHeight,
        labels: chart.data.labels.length,
        rows: table ? table.querySelectorAll('tbody tr[data-key]').length : -1,
        painted: painted};
"""
