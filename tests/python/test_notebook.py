# SPDX-License-Identifier: Apache-2.0
"""The example notebook runs top to bottom without error (executed with nbclient)."""
import json
import os
import sys

import pytest

nbformat = pytest.importorskip("nbformat", reason="python3-nbformat is not installed (scripts/install-deps)")
nbclient = pytest.importorskip("nbclient", reason="python3-nbclient is not installed (scripts/install-deps)")
pytest.importorskip("ipykernel", reason="python3-ipykernel is not installed (scripts/install-deps)")
pytest.importorskip("xgboost", reason="python3-xgboost is not installed (scripts/install-deps)")


def test_quickstart_notebook_runs(source_dir, tmp_path, monkeypatch):
    # A kernel spec of our own, so the kernel is this interpreter (the one that has numpy and
    # sees the build tree through PYTHONPATH), whatever `python3` is first on PATH.
    spec = tmp_path / "kernels" / "earlyhelp-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "earlyhelp test", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    nb = nbformat.read(source_dir / "examples" / "python" / "quickstart.ipynb", as_version=4)
    client = nbclient.NotebookClient(nb, kernel_name="earlyhelp-test", timeout=300,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    outputs = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "largest difference from XGBoost: 0.0" in outputs
    assert "contributions + bias sum to the margin: True" in outputs
    # The pipeline section: persons linked from files, scores, alerts on change, families, forecast, card.
    assert "alerts on change:" in outputs and "families meeting the criteria:" in outputs
    assert "Model card: safeguarding-reference" in outputs
