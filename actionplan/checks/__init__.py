"""Checking the content as a whole: cross-references, links against the planned pages, texts (validate)."""
