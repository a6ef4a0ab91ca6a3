"""Tests of the patent search package (no Django needed)."""
