"""The engineers' tools: they read what the service reads or writes, and never run inside a worker.

- ``backtest``: the detection core over a file of posts, on their own time (``pantau backtest``);
- ``scoring`` and ``plots``: an alert log scored against labelled events, and its timeline (``pantau eval``);
- ``tuning``: other detector settings scored on the same streams (``python -m evaluation.tuning``);
- ``ranges``, ``reading``, ``replay``: a topic of posts replayed through detection (``pantau replay``);
- ``diff``: two alert logs compared by incident (``pantau diff``);
- ``rewind``: the stopped live service moved back to an event time (``pantau rewind``);
- ``commands``: those subcommands of ``pantau``.
"""
