# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures: paths to the source tree, the CLI and the shared public data."""
import os
import pathlib

import pytest

SOURCE_DIR = pathlib.Path(os.environ.get("EARLYHELP_SOURCE_DIR", pathlib.Path(__file__).parents[2]))


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR


@pytest.fixture(scope="session")
def cli():
    """Path of the built earlyhelp command-line tool."""
    path = os.environ.get("EARLYHELP_CLI")
    if not path or not os.path.exists(path):
        pytest.skip("EARLYHELP_CLI is not set: run the tests through ctest")
    return path


@pytest.fixture(scope="session")
def shared_data():
    """../shared/data (FEBRL, jellyfish vectors, base rates): absent in a user's clone."""
    path = pathlib.Path(os.environ.get("EARLYHELP_SHARED_DATA", SOURCE_DIR.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path} (only CI and developers have ../shared)")
    return path
