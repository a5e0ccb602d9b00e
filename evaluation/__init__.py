"""Engineers' tools that read what the service wrote: ``diff`` compares two alert logs by incident. They run
beside the service, never inside a worker."""
