"""What operators watch, as code: the Grafana dashboard (``observability.dashboard``). A development tool: the
rendered JSON and the rules ship in ``deploy/``; the services do not import this package."""
