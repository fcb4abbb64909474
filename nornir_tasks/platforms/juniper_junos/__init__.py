"""Everything govnet knows about the juniper_junos platform (driver rules, secret forms, features, capabilities)."""
