"""Demo datasets loaded by `make run` (ckan ogpguatemala load-demo)."""
