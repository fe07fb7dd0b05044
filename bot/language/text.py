"""Small text helpers shared by the rule layers."""

GAP = "..."  # in a phrase of the content files: up to a few other words (bot.language.pipeline)
QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def plain_quotes(text: str) -> str:
    """Typographic quotes as plain ones ("can’t" -> "can't"); offsets stay the same."""
    return text.translate(QUOTES)
