"""Entry point of ``python -m aecore``."""

import sys

from aecore.cli import main

sys.exit(main())
