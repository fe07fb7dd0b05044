"""Custom actions for the action server: thin, they ask `bot/` and answer.

The content store is loaded when the action server imports this package, and
every content item an action may send is checked to be there, so a bad content
file, a missing item or an unreachable database stops it at start, with the
cause, instead of leaving a patient without a reply later.
"""
from actions.answer_question import FIXED_ANSWERS, NOT_UNDERSTOOD
from actions.content_client import check_items_exist, red_flag_replies
from actions.fallbacks import ENGLISH_ONLY, ActionOutOfScope
from bot.guardrails import GUARDRAIL_ITEMS
from bot.red_flags import URGENT_ITEM

check_items_exist(
    {*FIXED_ANSWERS.values(), NOT_UNDERSTOOD, ENGLISH_ONLY, ActionOutOfScope.item_id, URGENT_ITEM, *GUARDRAIL_ITEMS,
     *red_flag_replies().values()}
)
