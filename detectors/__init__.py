"""Online detection of trending diplomatic incidents: pure Python, numpy and River, no Kafka.

Every detector is a River ``Base`` with ``learn_one`` / ``score_one``; the conformance test checks each one
exported here.
"""

from detectors import compiled as _compiled

# The compiled core, where it was built from these very sources (see detectors.compiled); else the sources.
_compiled_dir, COMPILED_STATUS = _compiled.status()
COMPILED = _compiled_dir is not None
if COMPILED:
    __path__.insert(0, str(_compiled_dir))

from detectors.core import DetectionCore  # noqa: E402
from detectors.labels import LabelMemory  # noqa: E402
from detectors.relevance import RelevanceModel  # noqa: E402
from detectors.significance import HashedSignificance  # noqa: E402

# IncidentTracker (detectors.incidents) is the core's component that groups posts; it is not a detector of
# its own, since it scores nothing: the core checks it through DetectionCore.
__all__ = ["COMPILED", "COMPILED_STATUS", "DetectionCore", "HashedSignificance", "LabelMemory", "RelevanceModel"]
