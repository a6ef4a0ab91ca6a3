import sys

from ipcity.cli import main

sys.exit(main())
