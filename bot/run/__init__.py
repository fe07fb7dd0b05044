"""Running the assistant: the `sscbot` command (cli), starting and stopping the three
servers (launcher), the servers' entry points (rasa_server, action_server) and a
client for a running assistant's REST webhook (rest_client)."""
