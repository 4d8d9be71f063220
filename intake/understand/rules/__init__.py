"""The rules engine: rules.yaml loaded strictly (loader), conditions (conditions), one-pass
keyword matching (text), and the pure decision function (engine)."""

from intake.understand.rules.engine import Decision, Rules, classify
from intake.understand.rules.loader import load_rules

__all__ = ["Decision", "Rules", "classify", "load_rules"]
