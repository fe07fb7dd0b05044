"""Custom actions for the action server: thin, they ask `bot/` and answer.

The content store is loaded when the action server imports this package, so a
bad content file or an unreachable database stops it at start, with the cause.
"""
from actions.content_client import content_store

content_store()
