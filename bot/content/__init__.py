"""The plain-language content: reading and checking `content/*.yml` (files), the one
copy each process reads (repository), the content store in a database (store), the
bot's messages built from an item (replies) and the reviewers' report (report)."""
