"""Meetings: card status, agendas (saved views), decisions and bulk edits."""
