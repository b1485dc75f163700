# SPDX-License-Identifier: Apache-2.0
"""The HTML report (`earlyhelp report`, `earlyhelp.report`) on a linked synthetic council: one
self-contained page (every image inline, no network), every section the issue lists, aggregates
only, an honest note when the outcome is not known yet; the page opened in headless Chromium
(images load, tables render, no console error, no request); the CLI writes the page Python
writes, audited, with the verbs' exit codes."""
import json
import os
import pathlib
import re
import shutil
import subprocess

import pandas as pd
import pytest

import earlyhelp

AS_OF = "2024-04-01"
DOMAINS = ("safeguarding", "homelessness", "asb", "debt")


@pytest.fixture(scope="module")
def council(synth_and_link, tmp_path_factory):
    """A 2,000-person synthetic council linked once: (extracts folder, persons file, root)."""
    root = tmp_path_factory.mktemp("report")
    data = synth_and_link(root, 2000, 23, AS_OF)
    return data, root / "households.csv", root


@pytest.fixture(scope="module")
def page(council):
    data, persons, root = council
    out = root / "report.html"
    result = earlyhelp.report(data, AS_OF, out, persons=persons)
    return out, out.read_text(encoding="utf-8"), result


def _without_generated(text):
    return re.sub(r'<p class="generated">[^<]*</p>', "", text)


def test_page_has_every_section(page):
    _, text, result = page
    assert result["domains"].keys() == set(DOMAINS)
    assert all(d["evaluated"] for d in result["domains"].values()), result["domains"]
    assert sorted(result["synthetic"]) == sorted(DOMAINS)
    for heading in ("Alert counts", "Linkage", "Data quality of each stream", "Score distribution by group",
                    "Evaluation and fairness", "Fairness by group at the alert threshold", "Calibration bins",
                    "Records and persons by source"):
        assert heading in text, heading
    for d in DOMAINS:
        assert f'id="domain-{d}"' in text
        for plot in ("ROC curve", "precision at k", "calibration", "score distribution by group"):
            assert f'alt="{plot}: {d}"' in text, (plot, d)
    assert "Scores are advisory" in text
    assert "not for use on residents" in text
    # Each domain against the activity baseline, persons bootstrapped by household, families by row.
    assert text.count("Against the activity baseline: service records in the past year") == len(DOMAINS)
    assert all(d["activity_baseline"] in ("beaten", "not beaten", "not clearly beaten")
               for d in result["domains"].values())
    assert "1,000 paired bootstrap resamples of whole households" in text
    assert "1,000 paired bootstrap resamples of the rows, stratified by outcome" in text  # homelessness
    for stream in ("person_register", "health_ae", "council_tax"):
        assert f"<td>{stream}</td>" in text


def test_page_is_self_contained(page):
    _, text, _ = page
    sources = re.findall(r'src="([^"]*)"', text)
    assert len(sources) == 4 * 4 + 1  # four plots per domain, records per person
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert not re.search(r"https?://|<script|<link|@import|url\(", text, re.I)


def test_page_holds_no_identifier(page, council):
    """Aggregates only: no person, household or record id of the linkage, and no value of an
    identifying column of the extracts (the leak scan of every verb is in test_no_leaks.py)."""
    _, text, _ = page
    data, persons, _ = council
    text = re.sub(r"base64,[A-Za-z0-9+/=]+", "base64,", text)
    links = pd.read_csv(persons, dtype=str, keep_default_na=False)
    ids = set(links["person_id"]) | set(links["household_id"]) - {""} | set(links["record_id"])
    tokens = set(re.findall(r"[A-Za-z0-9]{8,}", text))
    assert not tokens & ids
    register = pd.read_csv(data / "person_register.csv", dtype=str, keep_default_na=False)
    surnames = {s for s in register["surname"] if len(s) >= 6}
    assert surnames and not set(re.findall(r"[A-Za-z]{6,}", text)) & surnames


def _browser():
    webdriver = pytest.importorskip("selenium.webdriver", reason="python3-selenium is not installed")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not binary or not driver:
        pytest.skip("headless Chromium needs Debian's chromium and chromium-driver (scripts/install-deps)")
    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1000"):
        options.add_argument(arg)
    options.binary_location = binary
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Under the sanitizer preset the tests run with libasan preloaded: not for the browser.
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "ASAN_OPTIONS")}
    return webdriver.Chrome(service=Service(driver, env=env), options=options)


def test_page_renders_in_headless_chromium(page):
    out, _, _ = page
    browser = _browser()
    try:
        browser.get(pathlib.Path(out).as_uri())
        images = browser.execute_script(
            "return Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth, i.naturalHeight])")
        assert len(images) == 17
        broken = [alt for alt, complete, w, h in images if not (complete and w > 0 and h > 0)]
        assert not broken, f"images that did not load: {broken}"
        rows = browser.execute_script(
            "return Array.from(document.querySelectorAll('table')).map(t => "
            "[t.tBodies[0].rows.length, t.getBoundingClientRect().height])")
        assert len(rows) == 1 + 4 * 4 + 3 + 1  # alerts, per domain 4 (with the baseline), linkage 3, quality
        assert all(n > 0 and height > 0 for n, height in rows), rows
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        requests = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        assert not [r for r in requests if not r.startswith("data:")], requests
    finally:
        browser.quit()


def test_cli_writes_the_page_python_writes(cli, council, source_dir, tmp_path):
    """`earlyhelp report` runs the same code in a child process: the same page (but for the time
    it was generated), --bundle used for the domain it names, an audit record hashing the page. The
    date's 6-month outcome runs past the extracts (they end in March 2025): the page says the
    outcome is not known yet and still shows the scores' distribution, instead of failing."""
    data, persons, _ = council
    late = "2025-01-01"
    bundle = source_dir / "lib" / "profiling" / "models" / "asb.ehm"
    audit = tmp_path / "audit.jsonl"
    r = subprocess.run([cli, "--audit-log", str(audit), "report", "--data", str(data), "--as-of", late,
                        "--bundle", str(bundle), "--persons", str(persons), "--domains", "asb",
                        "--out", str(tmp_path / "cli.html")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "advisory" in r.stdout and "not for use on residents" in r.stdout
    assert "asb: Not evaluated on 2025-01-01" in r.stdout
    result = earlyhelp.report(data, late, tmp_path / "py.html", persons=persons, models={"asb": bundle},
                              domains="asb")
    assert result["domains"]["asb"]["evaluated"] is False
    assert "the outcome is not known yet" in result["domains"]["asb"]["note"]
    cli_text = (tmp_path / "cli.html").read_text(encoding="utf-8")
    assert "the outcome is not known yet" in cli_text and "the council's own bundle" in cli_text
    assert 'alt="score distribution by group: asb"' in cli_text and 'alt="ROC curve: asb"' not in cli_text
    assert _without_generated(cli_text) == _without_generated((tmp_path / "py.html").read_text(encoding="utf-8"))
    record = json.loads(audit.read_text().splitlines()[-1])
    assert record["action"] == "report" and record["status"] == "ok"
    text = json.dumps(record)
    assert "cli.html" in text and "asb.ehm" in text


def test_cli_errors_have_the_verbs_exit_codes(cli, council, tmp_path):
    data, persons, _ = council
    base = [cli, "--no-audit", "report", "--data", str(data), "--persons", str(persons), "--domains", "asb"]
    cases = [
        (["--as-of", AS_OF], 2),                                                   # no --out
        (["--as-of", "2024-13-45", "--out", str(tmp_path / "a.html")], 2),         # not a date
        (["--as-of", AS_OF, "--out", str(tmp_path / "b.html"), "--bundle", str(tmp_path / "none.ehm")], 3),
        (["--as-of", AS_OF, "--out", str(tmp_path / "no" / "c.html")], 3),          # no such folder
    ]
    for args, code in cases:
        r = subprocess.run(base + args, capture_output=True, text=True)
        assert r.returncode == code, (args, r.returncode, r.stderr)
        assert "Traceback" not in r.stderr
    assert not list(tmp_path.glob("*.html")) and not list(tmp_path.glob(".*.part"))


def test_plotted_roc_curve_is_the_evaluated_one():
    """The ROC curve drawn (numpy, in the report) has the area earlyhelp.evaluate reports, ties
    included, so the plot and the table beside it agree."""
    import numpy as np

    from earlyhelp.report import _roc_points

    rng = np.random.default_rng(5)
    for _ in range(20):
        y = (rng.random(400) < 0.1).astype(float)
        y[:2] = [0, 1]
        score = np.round(rng.random(400) * 0.5 + y * 0.2, 2)
        fpr, tpr = _roc_points(y, score)
        area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
        assert area == pytest.approx(float(earlyhelp.evaluate(y, score).overall["roc_auc"].iloc[0]), abs=1e-12)
