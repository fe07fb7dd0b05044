"""Small text helpers shared by the rule layers."""

QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def plain_quotes(text: str) -> str:
    """Typographic quotes as plain ones ("can’t" -> "can't"); offsets stay the same."""
    return text.translate(QUOTES)
