"""`python -m fotfeste` runs the command line."""

import sys

from fotfeste.cli import main

sys.exit(main())
