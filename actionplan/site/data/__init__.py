"""Everything the site publishes, also as data: datasets (CSV, JSON, ODS) described by a Frictionless Data Package,
each measure's, agency's and quarter's entries as CSV, and Atom feeds. ``files.write_data`` writes them all; a new
dataset is one ``Dataset`` declaration in ``tables.DATASETS``."""
