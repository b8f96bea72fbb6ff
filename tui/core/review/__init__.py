"""Reviewing a regioplan: named snapshots, what changed since one, sign-off per field, the forge CI workflow."""
