# SPDX-License-Identifier: Apache-2.0
"""Progress bars of the long calls (link, features, profile, synth, forecast).

Each long call takes ``progress``:

- ``None`` (the default): a tqdm bar when somebody is watching, that is in a Jupyter notebook or
  when standard error is a terminal; nothing in scripts, cron jobs, pipelines and logs. The
  environment variable ``EARLYHELP_PROGRESS`` set to ``1`` or ``0`` turns bars on or off for
  every call whose ``progress`` is None.
- ``True``: a bar always (on standard error, or a widget in a notebook); ``False``: never.
- a callable ``fn(stage, done, total)``: called instead of drawing a bar, e.g. to log progress.

The library reports at stage boundaries and coarse steps only (a blocking rule, a block of rows, a
domain, a scenario): each stage starts at ``done == 0`` and ends at ``done == total``. The call
runs without the GIL; the GIL is taken back only for these few calls, on the calling thread.

>>> import earlyhelp
>>> seen = []
>>> tables = earlyhelp.synth.generate(persons=200, progress=lambda s, d, t: seen.append((s, d, t)))
>>> seen[0], seen[-1][0]
(('population', 0, 1), 'households')
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Callable, Iterator, Optional, Union

ProgressArg = Union[None, bool, Callable[[str, int, int], object]]


def _in_notebook() -> bool:
    """Whether the code runs in a Jupyter kernel (a notebook or JupyterLab)."""
    if "ipykernel" not in sys.modules:
        return False
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except Exception:  # noqa: BLE001 - IPython half-installed: not a notebook
        return False
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def shown_by_default() -> bool:
    """Whether ``progress=None`` draws bars here: ``EARLYHELP_PROGRESS`` (1 or 0) when set, else
    in a notebook or when standard error is a terminal."""
    env = os.environ.get("EARLYHELP_PROGRESS", "").strip().lower()
    if env in ("1", "true", "yes", "on"):
        return True
    if env in ("0", "false", "no", "off"):
        return False
    return _in_notebook() or _stderr_is_terminal()


def _tqdm_class():
    """tqdm.auto's bar (a widget in notebooks), or the text bar where the widget cannot be made
    (a notebook without ipywidgets)."""
    from tqdm import tqdm as text_bar

    if not _in_notebook():
        return text_bar
    try:
        import ipywidgets  # noqa: F401 - tqdm's widget needs it, and fails at the first bar without it
        from tqdm.notebook import tqdm as widget_bar

        return widget_bar
    except Exception:  # noqa: BLE001 - any failure of the widget: the text bar still works
        return text_bar


class Bars:
    """A callable(stage, done, total) that draws one tqdm bar per stage, labelled
    ``"<call>: <stage>"``; a bar closes when its stage ends or the next one starts."""

    def __init__(self, call: str):
        self._call = call
        self._stage: Optional[str] = None
        self._bar = None
        self._tqdm = _tqdm_class()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage or self._bar is None:
            self.close()
            self._stage = stage
            self._bar = self._tqdm(total=total, desc=f"{self._call}: {stage}", leave=True, dynamic_ncols=True)
        if done > self._bar.n:
            self._bar.update(done - self._bar.n)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def callback(progress: ProgressArg, call: str) -> Optional[Callable[[str, int, int], object]]:
    """What the library is told for ``progress`` (see the module comment): None for no progress,
    a :class:`Bars` for bars, or the user's callable.

    :raises earlyhelp.InvalidArgument: for anything else."""
    if progress is None:
        progress = shown_by_default()
    if progress is False:
        return None
    if progress is True:
        return Bars(call)
    if callable(progress):
        return progress
    from earlyhelp._core import InvalidArgument

    raise InvalidArgument(
        f"{call}: progress is a {type(progress).__name__}; expected None, True, False or a callable(stage, done, total)"
    )


@contextlib.contextmanager
def reporting(progress: ProgressArg, call: str) -> Iterator[Optional[Callable[[str, int, int], object]]]:
    """``with reporting(progress, "link") as report: ...``: the callback for the call, and its bars
    closed when the call ends, also by an exception."""
    report = callback(progress, call)
    try:
        yield report
    finally:
        if isinstance(report, Bars):
            report.close()
