"""Stored patient data: conversations in the tracker store (conversations), the
widget's answer ratings (ratings) and the questions that went unanswered
(unanswered). Each can be forgotten and purged."""
