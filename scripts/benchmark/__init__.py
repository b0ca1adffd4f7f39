"""The pieces of scripts/bench.py: wrk runs, servers, renders, seeding and the report."""
