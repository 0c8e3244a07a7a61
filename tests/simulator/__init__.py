"""Built-in FortiAnalyzer and GravityZone simulators for the collection's demo and tests.

`python -m tests.simulator` runs one; `tests.simulator.server.Simulator` runs one in-process.
See docs/simulator.md. FOR TESTS ONLY: nothing here is part of the collection's API.
"""
