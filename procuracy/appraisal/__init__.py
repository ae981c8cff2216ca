"""Appraisal: see the issue of that name; grows in later work."""
