import sys

from natssips_rules.cli import main

sys.exit(main())
