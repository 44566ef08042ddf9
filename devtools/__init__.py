"""Development and test tooling of a source checkout (not in the wheel).

- :mod:`devtools.local_neo4j`: a real Neo4j 5.26 Community server on 127.0.0.1, for the Neo4j leg
  of the tests, the benchmarks and ``expecs neo4j start|stop|status``.
"""
