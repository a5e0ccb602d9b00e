"""pytest cannot collect the doctests of a module whose import resolves to a compiled file: while the
compiled core is in use, ``tests/unit/test_compiled.py`` runs those modules' doctests from their sources."""

import detectors
from detectors import compiled

collect_ignore = [f"detectors/{name}.py" for name in compiled.MODULES] if detectors.COMPILED else []
