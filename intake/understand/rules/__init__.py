"""The rules engine: conditions (conditions), one-pass keyword matching (text, words),
compiling the rules sections of rules.yaml (loader), and the pure decision (engine)."""
