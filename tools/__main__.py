"""`python -m tools [--check|--write]`: every generated document (`make docs` writes them)."""
import sys

from .generated import main
from .methods import METHODS
from .reliability import RELIABILITY

sys.exit(main([METHODS, RELIABILITY]))
