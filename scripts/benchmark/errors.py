"""The one error of the benchmark: its message says what failed and what to do."""


class BenchError(Exception):
    pass
