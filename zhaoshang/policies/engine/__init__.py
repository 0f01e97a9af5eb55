"""The policy engine: conditions (JSON Logic over the variable catalogue), benefit formulas (arithmetic over the
same variables) and the calculator that applies clauses to a set of values. Pure Python: no database access, so
the same code runs on save (worked examples), in the calculator, in the push job and in CI."""

from .errors import RuleError

__all__ = ["RuleError"]
