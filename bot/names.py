"""Names shared by the NLU components (Rasa server) and the actions (action server):
keys the components put into a message's parse data. No Rasa imports here, so the
action server can read them without loading Rasa."""

# {"start", "end", "question_start"}: where the message's question is, with the sentence before
# it when the question alone is short (bot.language.question_focus); the question sentence from question_start.
FOCUS = "focus"
OTHER_QUESTIONS = "other_questions"  # the questions of the message after the first
ASKED_ITEM = "asked_item"  # the content item whose `asked_as` phrase the question uses

# A concept named in nearly every message: on its own it does not say what is asked.
GENERAL_CONCEPTS = frozenset({"systemic_sclerosis"})
# In an answer: the name the patient used for the medicine or condition it speaks of.
NAME = "{name}"
