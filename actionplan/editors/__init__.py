"""Tools for the people who edit: a new entry's scaffold (scaffold), the live preview server (serve), and the tracking report's output formats (tracking_formats)."""
