"""``python -m eval.retrieval``: see :mod:`eval.retrieval.run`."""

from eval.retrieval.run import main

raise SystemExit(main())
