"""A compiled rule set held as its pickle, by a process that leaves classifying to workers.

Compiled, the default rules take about 45 MB of small objects in every process that holds
them. The daemon with parse workers never classifies (the workers do), yet it must compile
the file to refuse a broken one with every problem at its line. So it compiles, keeps the
result as one 4 MB pickle and lets the objects go; the workers unpickle it once when they
start, which takes a tenth of the time and half the memory of compiling. Should the daemon
have to classify after all (a worker died), it unpickles its own copy then.
"""

from __future__ import annotations

import pickle

from intake.understand.rules.engine import Rules


class PackedRules:
    """What the daemon reads of the rules without classifying, and the rules themselves on
    demand (``compiled()``)."""

    def __init__(self, rules: Rules):
        self.version, self.own_domains = rules.version, rules.own_domains
        self.competitors, self.products = rules.competitors, rules.products
        self.size = len(rules.rules)
        self._blob = pickle.dumps(rules, protocol=pickle.HIGHEST_PROTOCOL)
        self._rules: Rules | None = None

    def compiled(self) -> Rules:
        if self._rules is None:
            self._rules = pickle.loads(self._blob)  # noqa: S301 - our own bytes, made above
        return self._rules

    def unpacked(self) -> Rules:
        """The rules, forgetting the pickle: for a worker, which hands them on to nobody."""
        rules = self.compiled()
        self._blob = b""
        return rules

    def __getstate__(self) -> dict:
        """Only the pickle crosses to a worker, never the objects unpacked from it."""
        return {**self.__dict__, "_rules": None}
