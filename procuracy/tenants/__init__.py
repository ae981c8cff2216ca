"""Tenants: units, people, sign-in, who sees what, power lists, audit trail."""
