"""Demo data for a county like 诸暨市 (DOMAIN.md §1). Loaded by ``zhaoshang seed_demo`` in demo mode."""
