"""The names shared by the NLU components (Rasa server), the REST channel, the actions
(action server) and the content: intents, entities and slots of domain.yml, the keys the
components add to a message's parse data, and the content items the code sends by id.
No Rasa imports here, so the action server reads them without loading Rasa.
tests/unit/test_names.py checks each against domain.yml and content/."""

# Intents (domain.yml)
URGENT = "report_urgent_symptom"
PERSONAL_ADVICE = "ask_personal_advice"
NOT_UNDERSTOOD = "nlu_fallback"  # Rasa's FallbackClassifier intent
DEFINITION = "ask_definition"
TREATMENT = "ask_treatment"
TREATMENT_PURPOSE = "ask_treatment_purpose"
FOLLOW_UP = "follow_up"
DESCRIBE_SYMPTOM = "describe_symptom"
OUT_OF_SCOPE = "out_of_scope"
WHAT_IS_SSC = "ask_what_is_ssc"
REFRACTORY = "ask_refractory"
STANDARD_MEDICINES = "ask_standard_immunosuppressants"
CURE = "ask_cure"
SMALL_TALK = frozenset({"greet", "thank", "goodbye", "bot_challenge", "ask_capabilities"})
FORGET = "request_forget"  # delete this conversation, in any words: asked back first
DENY = "deny"  # "no": keep the conversation

# Entities (domain.yml)
MANIFESTATION = "manifestation"
TREATMENT_ENTITY = "treatment"
TERM = "term"
RED_FLAG = "red_flag"  # the id of a red flag from content/red_flags.yml
CONTENT_ID = "content_id"  # a button's content item

# Slots (domain.yml)
CONCEPT_SLOT = "concept"
QUESTION_TYPE_SLOT = "question_type"
EXPLAINED_SLOT = "explained"

# Parse data the NLU components add for the actions
# {"start", "end", "question_start"}: where the message's question is, with the sentence before
# it when the question alone is short (bot.language.question_focus); the question sentence from question_start.
FOCUS = "focus"
OTHER_QUESTIONS = "other_questions"  # the questions of the message after the first
ASKED_ITEM = "asked_item"  # the content item whose `asked_as` phrase the question uses
ITEM_RANKING = "item_ranking"  # [{"content_id", "score"}]: the item ranker's best items, best first
# The one decision about the message (bot.language.verdict): the rule that decided, the item or the
# options to ask back with; the actions and the channel read it and decide nothing again.
VERDICT = "verdict"

# Content items the code sends by id (content/)
URGENT_ITEM = "emergency.urgent"  # the urgent advice for any urgent message
NOT_UNDERSTOOD_ITEM = "out_of_scope.not_understood"
NOT_COVERED_ITEM = "out_of_scope.not_covered"
ENGLISH_ONLY_ITEM = "out_of_scope.english_only"
SOMETHING_ELSE_ITEM = "out_of_scope.something_else"  # the last button of an ask-back
OTHER_CONDITION_ITEM = "out_of_scope.other_condition"  # a question about another disease
PREGNANCY_ITEM = "out_of_scope.pregnancy"
NOTHING_MORE_ITEM = "out_of_scope.nothing_more"  # "what else?" when the article has nothing more
WELCOME = "welcome"  # the content id of the conversation's opening contract (content/disclaimer.yml)

# A concept named in nearly every message: on its own it does not say what is asked.
GENERAL_CONCEPTS = frozenset({"systemic_sclerosis"})
# In an answer: the name the patient used for the medicine or condition it speaks of.
NAME = "{name}"
