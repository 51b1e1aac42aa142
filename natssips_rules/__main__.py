"""``python -m natssips_rules``: the command line (see :mod:`natssips_rules.cli`)."""

import sys

try:
    from natssips_rules.cli import run
except KeyboardInterrupt:  # Ctrl-C while the program is still starting: interrupted, as at any other moment
    print("natssips-rules: interrupted", file=sys.stderr)
    sys.exit(130)

run()
