"""Review of the plan: snapshots, changes since a snapshot and sign-off per field."""
