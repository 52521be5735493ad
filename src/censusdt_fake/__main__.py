"""``python -m censusdt_fake serve``."""

import sys

from censusdt_fake.cli import main

sys.exit(main())
