"""Reviewing a regioplan: named snapshots, what changed since one, and the forge CI workflow."""
