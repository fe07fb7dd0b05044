"""Stored patient data: where the conversations are (conversations), the replies given,
kept by the tracker store (replies), the widget's answer ratings (ratings), the staff's
tries of patients' questions (staff_copies) and the questions that went unanswered
(unanswered). Each can be forgotten and purged."""
