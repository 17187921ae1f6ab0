"""``python -m eval.drafting``: the drafting evaluation (see :mod:`eval.drafting.run`)."""

import sys

from eval.drafting.run import main

sys.exit(main())
