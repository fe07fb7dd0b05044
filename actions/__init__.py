"""Custom actions for the action server: thin, they ask `bot/` and answer.

`check_content()` (run by the action server's entry point, bot/run/action_server.py,
before it serves) reads the content store and checks that every item an action may send
is there, so a content store that was not loaded, a missing item or an unreachable
database stops the server at start, with the cause, instead of leaving a patient
without a reply later. Importing the package does nothing else than define the actions.
"""


def check_content() -> None:
    """Raise (LookupError, or the database's error) when the actions cannot answer from the store."""
    from actions.content_client import check_items_exist, red_flag_replies
    from actions.fallbacks import ActionOutOfScope
    from bot.content.questions import FIXED_ANSWERS
    from bot.names import (
        ENGLISH_ONLY_ITEM,
        NOT_UNDERSTOOD_ITEM,
        NOTHING_MORE_ITEM,
        OTHER_CONDITION_ITEM,
        PREGNANCY_ITEM,
        SOMETHING_ELSE_ITEM,
        URGENT_ITEM,
    )
    from bot.safety.guardrails import GUARDRAIL_ITEMS

    check_items_exist(
        {
            *FIXED_ANSWERS.values(),
            NOT_UNDERSTOOD_ITEM,
            ENGLISH_ONLY_ITEM,
            NOTHING_MORE_ITEM,
            OTHER_CONDITION_ITEM,
            PREGNANCY_ITEM,
            SOMETHING_ELSE_ITEM,
            ActionOutOfScope.item_id,
            URGENT_ITEM,
            *GUARDRAIL_ITEMS,
            *red_flag_replies().values(),
        }
    )
