"""Everything govnet knows about the cisco_ios platform (driver rules, secret forms, features, capabilities)."""
