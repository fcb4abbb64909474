"""Everything govnet knows about the arista_eos platform (driver rules, secret forms, features, capabilities)."""
