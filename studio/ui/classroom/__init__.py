"""Classroom mode: presenting at a projector, the large look and the live language switch."""
