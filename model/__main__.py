"""`python -m model …`, kept for old habits and scripts: the command line lives in cli/ (the one import
of a layer above that the layer test allows)."""
import sys

from cli.main import main

sys.exit(main())
