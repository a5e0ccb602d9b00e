"""The officers' console: a live incident list, incident pages and labelling buttons (served at /console)."""
