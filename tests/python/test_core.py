# SPDX-License-Identifier: Apache-2.0
import subprocess

import pytest

import earlyhelp


def test_version_is_set_and_matches_cli(cli):
    assert earlyhelp.__version__ == earlyhelp.version()
    assert earlyhelp.__version__.count(".") == 2
    out = subprocess.run([cli, "--version"], capture_output=True, text=True, check=True).stdout
    assert out.strip() == earlyhelp.__version__


def test_exception_hierarchy():
    assert issubclass(earlyhelp.InvalidArgument, earlyhelp.Error)
    assert issubclass(earlyhelp.InvalidArgument, ValueError)
    assert issubclass(earlyhelp.SchemaError, earlyhelp.InvalidArgument)
    assert issubclass(earlyhelp.FormatError, ValueError)
    assert issubclass(earlyhelp.StateError, RuntimeError)
    assert issubclass(earlyhelp.IOError, OSError)
    assert issubclass(earlyhelp.Error, RuntimeError)


@pytest.mark.parametrize(
    "text,iso",
    [("03/04/2020", "2020-04-03"), ("2020-04-03", "2020-04-03"), ("29/02/2021", None), ("04/13/2020", None)],
)
def test_parse_date_is_day_first(text, iso):
    assert earlyhelp.parse_date(text) == iso


def test_cli_unknown_verb_is_usage_error(cli):
    r = subprocess.run([cli, "no-such-verb"], capture_output=True, text=True)
    assert r.returncode == 2
