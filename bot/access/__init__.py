"""Who may use the assistant, and how much: conversation tokens, the sites allowed to
write, per-client rate limits, and the client's address behind a trusted proxy.

No web framework here: the widget server and the Rasa REST channel both use it.
"""
