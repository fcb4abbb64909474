"""Everything govnet knows about the huawei_vrp platform (driver rules, secret forms, features, capabilities)."""
