import sys

from sam_shift_lint.cli import main

sys.exit(main())
