"""``python -m eval.evidence``: the evidence-review evaluation (see :mod:`eval.evidence.run`)."""

import sys

from eval.evidence.run import main

sys.exit(main())
