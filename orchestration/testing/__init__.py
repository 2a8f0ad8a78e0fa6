"""Helpers shared by the tests (tests/) and the benchmark (bench/); the pipeline never uses them."""
