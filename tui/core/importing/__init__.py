"""Bringing a plan in from a spreadsheet (.xlsx, .csv): read, map columns to fields, convert, plan, write."""
