"""API actions and their auth functions."""
