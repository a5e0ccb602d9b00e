"""The delivery service: alert records from the alerts topic to the tools duty officers watch.

It runs as its own consumer group (``pantau notify``), so a failing channel never reaches detection.
"""
