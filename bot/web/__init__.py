"""The website chat widget: its files and the web server that serves them (`python -m bot.web`)."""
