# SPDX-License-Identifier: Apache-2.0
"""earlyhelp: open record linkage, features and explained risk scores for council early help.

Scores are advisory for a professional, never a decision. Identifiers are pseudonymised before
linkage leaves the data owner, every score can be explained, and every run is auditable.
"""

from earlyhelp._core import (  # noqa: F401
    Error,
    FormatError,
    InvalidArgument,
    IOError,
    SchemaError,
    StateError,
    __version__,
    parse_date,
    version,
)
from earlyhelp.schema import Field, Schema, Stream, builtin_schema, data_dictionary  # noqa: F401
from earlyhelp import linkage  # noqa: F401,E402
from earlyhelp import synth  # noqa: F401,E402
from earlyhelp.linker import Linker, link  # noqa: F401,E402
from earlyhelp.io import read_csv, validate  # noqa: F401
from earlyhelp.models import Model  # noqa: F401
from earlyhelp.feature_table import FeatureSet, features  # noqa: F401,E402
from earlyhelp.forecasting import EngagementModel, engagement, forecast, savings  # noqa: F401,E402

__all__ = [
    "Error",
    "FeatureSet",
    "FormatError",
    "InvalidArgument",
    "IOError",
    "Model",
    "features",
    "SchemaError",
    "StateError",
    "__version__",
    "forecast",
    "parse_date",
    "savings",
    "engagement",
    "EngagementModel",
    "version",
]

from earlyhelp import governance  # noqa: E402,F401
from earlyhelp.governance import pseudonymise  # noqa: E402,F401

__all__ += ["governance", "pseudonymise"]

from earlyhelp.encoding import encode  # noqa: E402,F401

__all__ += ["encode"]

from earlyhelp.evaluation import Evaluation, evaluate  # noqa: E402

__all__ += ["Evaluation", "evaluate"]

from earlyhelp.alerts import AlertHistory, AlertPolicy, AlertRun, decide_alerts  # noqa: E402

__all__ += ["AlertHistory", "AlertPolicy", "AlertRun", "decide_alerts"]

from earlyhelp.troubled_families import Framework, tf, tf_family  # noqa: E402

__all__ += ["Framework", "tf", "tf_family"]

from earlyhelp.domains import Domain, activity_baselines, training_table  # noqa: E402

__all__ += ["Domain", "activity_baselines", "training_table"]

from earlyhelp.profiling import profile, score_row, train_domain_model  # noqa: E402

__all__ += ["profile", "score_row", "train_domain_model"]

from earlyhelp.transparency import model_card  # noqa: E402

__all__ += ["model_card"]

__all__ += ["report"]


def __getattr__(name):
    # earlyhelp.report (the function) is imported on first use, so that `python -m earlyhelp.report`
    # (what `earlyhelp report` runs) does not find its module already imported by the package.
    if name == "report":
        from earlyhelp.report import report as fn

        globals()["report"] = fn  # the import bound the submodule to this name: the function wins
        return fn
    raise AttributeError(f"module 'earlyhelp' has no attribute {name!r}")
