"""Everything govnet knows about the frr platform (driver rules, secret forms, features, capabilities)."""
