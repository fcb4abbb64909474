"""The dashboard in a real headless Chromium (Debian's chromium + chromedriver), served from a loopback HTTP
server: no console errors, the JSON's numbers on the page, the scripts work (map colours, table filter and
sort), and a screenshot saved to test-artifacts/ for people to look at."""

from __future__ import annotations

import functools
import json
import shutil
import tempfile
import threading
from datetime import date
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from nornir_tasks.inventory.load import load_or_raise
from nornir_tasks.reports.rollout_files import write_reports
from nornir_tasks.rollout.i18n import fmt_pct
from nornir_tasks.rollout.plans import load_plans
from nornir_tasks.rollout.service import rollout_status
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
ARTIFACTS = ROOT / "test-artifacts"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture()
def served(tmp_path: Path):
    """Write the reports in both languages and serve the folder on 127.0.0.1 (a free port)."""
    as_of = date(2025, 11, 25)
    inv = load_or_raise(ROOT / "inventory", today=as_of).inventory
    result = rollout_status(inv, load_plans(ROOT / "inventory" / "plans"), as_of=as_of)
    for lang in ("vi", "en"):
        write_reports(result, tmp_path / lang, lang)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture()
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(), \
        "install the Debian packages chromium and chromium-driver (scripts/setup.sh does)"
    profile = tempfile.mkdtemp(prefix="govnet-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                "--window-size=1400,1000"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_dashboard_in_chromium(served, browser, lang):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, folder = served
    browser.get(f"{base}/{lang}/dashboard.html")
    doc = json.loads((folder / lang / "rollout.json").read_text(encoding="utf-8"))
    text = browser.find_element(By.TAG_NAME, "body").text

    # the JSON's numbers are on the page, target by target
    for plan in doc["plans"]:
        for t in plan["targets"]:
            card = browser.find_element(By.ID, f"card-{t['key']}")
            if t["numerator"] is not None:
                assert f"{t['numerator']} / {t['denominator']}" in card.text, t["key"]
                assert fmt_pct(t["share"], lang) in card.text, t["key"]
            assert card.get_attribute("data-status") == t["status"]
    assert len(browser.find_elements(By.CSS_SELECTOR, ".card")) == sum(len(p["targets"]) for p in doc["plans"])

    # the scripts ran: every site dot got a colour; choosing a target recolours the map
    dots = browser.find_elements(By.CSS_SELECTOR, "#map .sites circle")
    assert dots and all(d.get_attribute("fill") for d in dots)
    key = "vnpt-2025-uplink/commune-uplink-200"
    Select(browser.find_element(By.ID, "map-target")).select_by_value(key)
    states = [d.get_attribute("data-state") for d in dots]
    site_states = [s["states"].get(key, "out") for s in doc["sites"] if s["lat"] is not None]
    assert states == site_states

    # lagging table: every row rendered, the filter narrows it, a click on a header sorts it
    lag_total = sum(len(t["lagging"]) for p in doc["plans"] for t in p["targets"] if not t["reported_only"])
    rows = browser.find_elements(By.CSS_SELECTOR, "#lag-body tr")
    assert len(rows) == lag_total
    browser.find_element(By.ID, "lag-filter").send_keys("12-mu-ca")
    filtered = browser.find_elements(By.CSS_SELECTOR, "#lag-body tr")
    assert 0 < len(filtered) < lag_total and all("12-mu-ca" in r.text for r in filtered)
    browser.find_element(By.ID, "lag-filter").clear()
    browser.execute_script("document.getElementById('lag-filter').dispatchEvent(new Event('input'))")
    heads = browser.find_elements(By.CSS_SELECTOR, "#lag-table th")
    heads[1].click()
    sites = [r.find_elements(By.TAG_NAME, "td")[1].text for r in browser.find_elements(By.CSS_SELECTOR, "#lag-body tr")]
    assert sites == sorted(sites)
    heads[1].click()
    sites_desc = [r.find_elements(By.TAG_NAME, "td")[1].text for r in browser.find_elements(By.CSS_SELECTOR, "#lag-body tr")]
    assert sites_desc == sorted(sites, reverse=True)

    # labels in the right language
    if lang == "vi":
        assert "Hạn chót" in text and "Điểm chậm tiến độ" in text
    else:
        assert "Deadline" in text and "Lagging sites" in text

    # no console errors (and nothing was fetched from the network: the page has no external resources)
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []

    browser.execute_script("window.scrollTo(0, 0)")
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(int(height) + 40, 16000))
    ARTIFACTS.mkdir(exist_ok=True)
    assert browser.save_screenshot(str(ARTIFACTS / f"rollout-dashboard-{lang}.png"))
