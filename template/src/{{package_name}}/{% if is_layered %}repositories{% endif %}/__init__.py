"""Data access: one repository per aggregate."""
