"""Online detection of trending diplomatic incidents: pure Python, numpy and River, no Kafka.

Every detector is a River ``Base`` with ``learn_one`` / ``score_one``; the conformance test checks each one
exported here.
"""

from detectors.core import DetectionCore
from detectors.relevance import RelevanceModel
from detectors.significance import HashedSignificance

# IncidentTracker (detectors.incidents) is the core's component that groups posts; it is not a detector of
# its own, since it scores nothing: the core checks it through DetectionCore.
__all__ = ["DetectionCore", "HashedSignificance", "RelevanceModel"]
