"""The staff console's records and rules: staff accounts and their sign-in, script runs
kept for comparison, saving scripts, and what patients ask (insights). No web framework:
bot/web/staff.py serves them under /staff/."""
