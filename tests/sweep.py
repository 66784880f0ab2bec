"""Seeds of the claims-across-seeds tests.

`make test` (what CI runs) checks every claim on seeds 0 and 1: the default seed and one more,
so that a claim tuned to the default view fails. `make test-seeds` (AE_TEST_SEEDS=5) runs seeds
0-4, the sweep the README reports; `python -m aecore check NAME --seeds N` does the same for one
experiment from the command line, and the pages' "Check on 5 seeds" button in the app.
"""

from __future__ import annotations

import os

SEEDS = tuple(range(max(1, int(os.environ.get("AE_TEST_SEEDS", "2")))))
