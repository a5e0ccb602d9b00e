"""The seeded demo feed: a simulated day of bilingual posts and news with scripted incidents and their ground
truth (``pantau demo``, ``pantau run``, the tests and the benchmarks). It has nothing to do with Kafka: the
callers send what it yields."""
