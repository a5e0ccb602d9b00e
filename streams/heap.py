"""The garbage collector's view of a long run.

Start-up builds large, long-lived structures: the gazetteer and lexicons, the relevance model, the
significance tables' bookkeeping. Left in the collector's sight, every full collection walks them again,
and a busy worker runs many: about a tenth of the detection core's time. Frozen after start-up, they are
never walked; what the run allocates later is collected as usual.

A worker also allocates a few hundred objects per post (decoded messages, tokens, records) that reference
counting frees at once; Python's default young generation of 700 objects then triggers a collection every
few posts. A larger one (100,000) collects as surely, far less often: about 5 % more posts per second
end to end in ``make bench``, at the cost of a few megabytes of cyclic garbage held a little longer. The
older generations keep Python's ratios (10 and 10), so full collections still come regularly.
"""

from __future__ import annotations

import gc


def prepare_heap_for_long_run() -> None:
    """Collect once, move every object alive now to the collector's permanent generation, and collect the
    young generation every 100,000 allocations instead of 700."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(100_000, 10, 10)
