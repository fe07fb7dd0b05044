"""Scripted dialogues: release checks that support staff write in YAML and run against a live assistant."""
