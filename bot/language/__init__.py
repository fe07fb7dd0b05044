"""Reading a patient's words, without Rasa: the project's spaCy pipeline and term
matcher (pipeline), where the question is in a message (question_focus), English or
not (detect), and one pass over a message that finds terms, red flags and the
question (understanding)."""
