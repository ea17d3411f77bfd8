"""``python -m budgetrummet``: the command line (``budgetrummet.cli``)."""

from budgetrummet.cli import main

raise SystemExit(main())
