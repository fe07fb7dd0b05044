"""Benchmark: our assistant against Rasa's starter bot over the REST webhook (issue #7)."""
