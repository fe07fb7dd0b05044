"""A staff try of a patient's question goes when the patient's conversation goes."""

import sqlalchemy as sa

from bot.records.staff_copies import StaffCopies
from bot.records.unanswered import unanswered_questions
from tests.unit.records.test_unanswered import tracker_db

STAFF_A, STAFF_B = "staff-" + "a" * 24, "staff-" + "b" * 24
NOT_UNDERSTOOD = {"kind": "out_of_scope", "content_id": "out_of_scope.not_understood"}


def test_forgetting_a_patient_deletes_the_staff_tries_of_their_questions(tmp_path):
    store = tracker_db(
        tmp_path,
        [
            ("patient-1", [("can I eat sushi?", NOT_UNDERSTOOD)]),
            (STAFF_A, [("can I eat sushi?", NOT_UNDERSTOOD)]),
            (STAFF_B, [("can I eat sushi?", NOT_UNDERSTOOD)]),
        ],
    )
    copies = StaffCopies.create(f"sqlite:///{tmp_path / 'feedback.db'}")
    copies.link("patient-1", STAFF_A)
    assert copies.forget(["patient-2"]) == []
    tries = copies.forget(["patient-1"])
    assert tries == [STAFF_A]
    assert store.forget(tries) == 3  # the try's user message, reply and listen
    kept = {sender: len(store.events_of(sender)) for sender in ("patient-1", STAFF_A, STAFF_B)}
    assert kept == {"patient-1": 3, STAFF_A: 0, STAFF_B: 3}  # the patient's own: the store's forget([patient])
    assert [q.sender_id for q in unanswered_questions(store.engine)] == ["patient-1", STAFF_B]
    assert copies.forget(["patient-1"]) == []  # the link went too
    with sa.create_engine(f"sqlite:///{tmp_path / 'feedback.db'}").connect() as connection:
        assert "patient-1" not in str(connection.execute(sa.text("SELECT * FROM staff_copies")).all())
