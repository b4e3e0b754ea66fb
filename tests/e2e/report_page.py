"""An hft report.html in headless Chromium (Selenium with the system chromedriver, so Selenium
Manager never reaches for the network), and what the e2e tests read back from it."""
import os
import pathlib

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 1400, 1000

# For each canvas: pixels drawn at all (alpha > 0), and pixels in colour (axes, grid and text
# are grey, so these are the runs' lines and markers).
_CANVAS_PIXELS = """
const counts = {};
for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0, coloured = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i + 3] === 0) continue;
    drawn += 1;
    const [r, g, b] = [pixels[i], pixels[i + 1], pixels[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) coloured += 1;
  }
  counts[canvas.dataset.chart] = {drawn, coloured};
}
return counts;
"""

_DATASETS = """
return Object.fromEntries(Object.entries(window.hftCharts).map(
  ([id, chart]) => [id, chart.data.datasets.map(d => ({label: d.label, data: d.data}))]));
"""

# A run's table (data-table NAME inside section[data-run]) as {row label: {column: value}}, values
# from data-value / data-count, which hold the numbers unrounded.
_RUN_TABLE = """
const [run, name] = arguments;
const section = [...document.querySelectorAll('section.run')].find(s => s.dataset.run === run);
const table = section && section.querySelector(`table[data-table="${name}"]`);
if (!table) return null;
return [...table.querySelectorAll('tbody tr')].map(tr => ({
  label: tr.dataset.label,
  cells: [...tr.querySelectorAll('td')].map(td => ({key: td.dataset.key || null,
    value: Number(td.dataset.value !== undefined ? td.dataset.value : td.dataset.count)})),
}));
"""


def open_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(argument)
    if os.path.exists(CHROMIUM):
        options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def load(driver, path, timeout=30):
    """Opens the report and waits until its script is done; returns its error text, or None."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.set_window_size(WIDTH, HEIGHT)
    driver.get(pathlib.Path(os.path.abspath(path)).as_uri())
    WebDriverWait(driver, timeout).until(
        lambda d: d.execute_script("return window.hftReportReady === true || !!window.hftReportError"))
    return driver.execute_script("return window.hftReportError || null")


def console_errors(driver):
    """The browser console's SEVERE entries since the last call (reading the log empties it)."""
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def chart_ids(driver):
    """The charts' ids in page order."""
    return driver.execute_script("return [...document.querySelectorAll('canvas[data-chart]')].map(c => c.dataset.chart)")


def chart_datasets(driver):
    """{chart id: [{label, data: [{x, y}]}]} as the page's Chart.js instances hold them."""
    return driver.execute_script(_DATASETS)


def canvas_pixels(driver):
    return driver.execute_script(_CANVAS_PIXELS)


def run_table(driver, run, name):
    return driver.execute_script(_RUN_TABLE, run, name)


def save_screenshots(driver, stem):
    """The window, then the whole page (the window made as tall as the page); returns both paths."""
    window = f"{stem}.png"
    driver.save_screenshot(window)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(WIDTH, min(height + 100, 16000))
    page = f"{stem}-full.png"
    driver.save_screenshot(page)
    driver.set_window_size(WIDTH, HEIGHT)
    return window, page
