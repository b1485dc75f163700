# SPDX-License-Identifier: Apache-2.0
"""`earlyhelp model card` and `earlyhelp.model_card` (issue 17): one library call behind both, the
organisation file, and clear errors."""
import json
import subprocess

import pytest

import earlyhelp


def _run(*args):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=60)


FILES = ("model_card.md", "model_card.json", "transparency_record.md", "transparency_record.json")


def test_cli_and_python_write_the_same_documents(cli, source_dir, tmp_path):
    bundle = source_dir / "lib" / "profiling" / "models" / "debt.ehm"
    evaluation = source_dir / "evaluation" / "debt.json"
    org = {"organisation": "Anytown Borough Council", "contact_email": "transparency@anytown.example",
           "phase": "pre-deployment"}
    (tmp_path / "org.json").write_text(json.dumps(org))
    r = _run(cli, "--no-audit", "model", "card", "--bundle", bundle, "--evaluation", evaluation,
             "--organisation", tmp_path / "org.json", "--out", tmp_path / "cli")
    assert r.returncode == 0, r.stderr
    assert "to complete" in r.stderr and "organisation," not in r.stderr  # given fields are not listed
    docs = earlyhelp.model_card(bundle=bundle, evaluation=evaluation, organisation=org, out=tmp_path / "py")
    for name in FILES:
        assert (tmp_path / "cli" / name).read_bytes() == (tmp_path / "py" / name).read_bytes(), name
    record = json.loads(docs["transparency_record_json"])
    assert record["tier_1"]["organisation"] == "Anytown Borough Council"
    assert record["tier_1"]["website"] is None and "website" in docs["to_complete"]
    card = json.loads(docs["model_card_json"])
    assert docs["synthetic"] and card["synthetic_data_warning"]
    assert card["domain"]["horizon_months"] == 6
    # Fairness by group comes from the evaluation file, group for group.
    assert len(card["fairness"]["by_group"]) == len(json.loads(evaluation.read_text())["by_group"])


def test_reference_and_an_evaluation_dict(source_dir, tmp_path):
    a = earlyhelp.model_card(reference="homelessness")
    ev = json.loads((source_dir / "evaluation" / "homelessness.json").read_text())
    b = earlyhelp.model_card(bundle=source_dir / "lib" / "profiling" / "models" / "homelessness.ehm", evaluation=ev)
    assert a["model_card_json"] == b["model_card_json"]
    # The evaluation's verdict against the baseline is carried into the limitations, unsoftened.
    assert ev["context"]["verdict"].startswith("the model ")
    assert f"Against a simple baseline: {ev['context']['verdict']}." in a["model_card_md"]
    assert set(earlyhelp.transparency.organisation_keys()) >= {"organisation", "senior_responsible_owner"}


def test_errors_name_the_problem(cli, source_dir, tmp_path):
    bundle = source_dir / "lib" / "profiling" / "models" / "asb.ehm"
    r = _run(cli, "--no-audit", "model", "card", "--bundle", bundle, "--out", tmp_path / "o")
    assert r.returncode == 2 and "--evaluation" in r.stderr
    r = _run(cli, "--no-audit", "model", "card", "--bundle", bundle, "--evaluation",
             source_dir / "evaluation" / "debt.json", "--out", tmp_path / "o")
    assert r.returncode == 2 and "the evaluation is of domain 'debt'" in r.stderr
    (tmp_path / "org.json").write_text('{"contact": "x"}')
    r = _run(cli, "--no-audit", "model", "card", "--reference", "asb", "--organisation", tmp_path / "org.json",
             "--out", tmp_path / "o")
    assert r.returncode == 3 and "org.json: contact: not a transparency-record field" in r.stderr
    (tmp_path / "e.json").write_text('{"format": "earlyhelp.evaluation", "version": 2}')
    r = _run(cli, "--no-audit", "model", "card", "--bundle", bundle, "--evaluation", tmp_path / "e.json",
             "--out", tmp_path / "o")
    assert r.returncode == 3 and "e.json: version: expected 1" in r.stderr
    assert not (tmp_path / "o").exists()
    with pytest.raises(TypeError, match="reference"):
        earlyhelp.model_card(bundle=bundle)
    with pytest.raises(earlyhelp.FormatError, match="organisaton"):
        earlyhelp.model_card(reference="asb", organisation={"organisaton": "x"})
