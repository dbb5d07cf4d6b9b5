"""Helpers that tests in several areas share. Test data is made in tests/factories.py."""
