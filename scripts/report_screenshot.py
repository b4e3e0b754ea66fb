"""A screenshot of an hft report.html, as the README shows one (docs/images/report-quickstart.png).

    bash scripts/quickstart.sh && .venv/bin/python scripts/report_screenshot.py runs/quickstart docs/images/report-quickstart.png

Opens OUTPUT_DIR/report.html in headless Chromium (tests/e2e/report_page.py: Debian's chromium and
chromium-driver, which setup.sh installs) and saves the top of the page as a PNG.
"""
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests", "e2e"))
import report_page  # noqa: E402


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: report_screenshot.py OUTPUT_DIR PNG")
    folder, png = sys.argv[1], sys.argv[2]
    page = os.path.join(folder, "report.html")
    if not os.path.isfile(page):
        sys.exit(f"{page}: no such file; expected the output_dir of an hft train run (or run hft report on it)")
    driver = report_page.open_browser()
    try:
        error = report_page.load(driver, os.path.abspath(page))
        if error:
            sys.exit(f"{page}: the page's script failed: {error}")
        with tempfile.TemporaryDirectory() as tmp:
            window, _ = report_page.save_screenshots(driver, os.path.join(tmp, "report"))
            shutil.copyfile(window, png)
    finally:
        driver.quit()
    print(f"wrote {png}")


if __name__ == "__main__":
    main()
