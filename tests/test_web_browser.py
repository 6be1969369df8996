"""``pathway serve`` end to end, in a real headless browser (Debian's chromium and chromedriver,
driven by Selenium; ``.ci/run`` installs them): fill the form for a product, see its pathways,
answer a question and see the pathway change, run a what-if, download the report and the YAML,
and open the YAML again to get the same assessment. Screenshots of the main pages are written
to build/screenshots/ (two of them, copied to docs/screenshots/, are in the README). Skipped, saying why, only where the
browser is not installed."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import pathway

from .conftest import EXAMPLES, ROOT
from .web_helpers import AMNION_FORM

pytest.importorskip("starlette", reason="the web extra is not installed")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="no headless browser: install Debian's chromium and chromium-driver "
    "(apt-get install chromium chromium-driver), as .ci/run does",
)
SHOTS = ROOT / "build" / "screenshots"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    import uvicorn

    from pathway.web.app import create_app

    port = _free_port()
    app = create_app(pathway.load_rulebase(), EXAMPLES)
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1600",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def _shot(browser: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = browser.execute_script("window.scrollTo(0, 0); return document.body.scrollHeight")
    browser.set_window_size(1280, min(max(height, 800), 2400))
    browser.save_screenshot(str(SHOTS / f"{name}.png"))
    browser.set_window_size(1280, 1600)


def _fill(browser: Any, form: dict[str, Any]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for name, value in form.items():
        if name == "as_of":
            field = browser.find_element(By.ID, "f-as-of")
            browser.execute_script("arguments[0].value = arguments[1]", field, value)
        elif isinstance(value, list):
            for item in value:
                box = browser.find_element(By.CSS_SELECTOR, f'input[name="{name}"][value="{item}"]')
                browser.execute_script("arguments[0].scrollIntoView()", box)
                box.click()
        else:
            field = browser.find_element(By.NAME, name)
            if field.tag_name == "select":
                Select(field).select_by_value(value)
            else:
                field.send_keys(value)


def _wait_for(folder: Path, suffix: str) -> Path:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        found = [p for p in folder.iterdir() if p.suffix == suffix]
        if found:
            return found[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded")


def test_a_product_from_the_form_to_a_download_and_back(
    server: str, browser: Any, downloads: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/")
    _shot(browser, "start")
    browser.find_element(By.LINK_TEXT, "Describe a product in a form").click()
    _fill(browser, AMNION_FORM)
    _shot(browser, "form")
    browser.find_element(By.CSS_SELECTOR, "form.product-form button[type=submit]").click()

    row = browser.find_element(By.ID, "row-us").text
    assert "Undetermined" in row and "us.361" in row and "us.351" in row
    assert "Decision support, not legal advice." in browser.page_source
    _shot(browser, "assessment")

    question = browser.find_element(By.ID, "q-use-homologous")
    from selenium.webdriver.support.ui import Select

    Select(question.find_element(By.NAME, "answer")).select_by_value("false")
    question.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    assert "us.351 (changed)" in browser.find_element(By.ID, "answered").text
    row = browser.find_element(By.ID, "row-us").text
    assert "Determined" in row and "us.351" in row

    browser.find_element(By.ID, "changes").send_keys("use.homologous=true")
    browser.find_element(By.CSS_SELECTOR, "#changes ~ button").click()
    compared = browser.find_element(By.ID, "whatif").text
    assert "us.351" in compared and "us.361" in compared and "yes" in compared
    _shot(browser, "what-if")
    browser.find_element(By.XPATH, "//button[text()='Back to the assessment']").click()

    browser.find_element(By.ID, "download-markdown").click()
    report = _wait_for(downloads, ".md")
    assert report.read_text(encoding="utf-8").startswith("# Amniotic membrane sheet")
    browser.find_element(By.ID, "download-yaml").click()
    product = _wait_for(downloads, ".yaml")
    assert "homologous: false" in product.read_text(encoding="utf-8")

    browser.get(server + "/")
    browser.find_element(By.ID, "file").send_keys(str(product))
    browser.execute_script("document.getElementById('as_of').value = '2026-11-25'")
    browser.find_element(By.CSS_SELECTOR, "form[action='/upload'] button").click()
    again = browser.find_element(By.ID, "row-us").text
    assert again == row


def test_the_portfolio_page(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/portfolio")
    rows = browser.find_elements(By.CSS_SELECTOR, "#portfolio tbody tr")
    assert len(rows) == len(list(EXAMPLES.glob("*.yaml")))
    _shot(browser, "portfolio")
    browser.find_element(By.ID, "q").send_keys("akuugo")
    browser.find_element(By.CSS_SELECTOR, "form.filters button").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 10).until(lambda b: "q=akuugo" in b.current_url)
    (row,) = browser.find_elements(By.CSS_SELECTOR, "#portfolio tbody tr")
    assert "jp.pmd.conditional" in row.text
    row.find_element(By.TAG_NAME, "a").click()
    WebDriverWait(browser, 10).until(lambda b: "/open" in b.current_url)
    assert "jp.pmd.conditional" in browser.find_element(By.ID, "row-jp").text


def test_phone_width_and_keyboard(server: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(390, 844)
    try:
        browser.get(server + "/new")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 400, f"the form is {width} px wide on a 390 px phone"
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        assert browser.switch_to.active_element.text == "Skip to the content"
        for _ in range(6):
            browser.switch_to.active_element.send_keys(Keys.TAB)
        assert browser.switch_to.active_element.tag_name in ("input", "a", "select", "button")
    finally:
        browser.set_window_size(1280, 1600)
