"""A staff try of a patient's question goes when the patient's conversation goes."""

import sqlalchemy as sa

from bot.records.staff_copies import StaffCopies
from tests.unit.records.test_unanswered import tracker_db

NOT_UNDERSTOOD = {"kind": "out_of_scope", "content_id": "out_of_scope.not_understood"}


def test_forgetting_a_patient_deletes_the_staff_tries_of_their_questions(tmp_path):
    engine = tracker_db(
        tmp_path,
        [
            ("patient-1", [("can I eat sushi?", NOT_UNDERSTOOD)]),
            ("staff-" + "a" * 24, [("can I eat sushi?", NOT_UNDERSTOOD)]),
            ("staff-" + "b" * 24, [("can I eat sushi?", NOT_UNDERSTOOD)]),
        ],
    )
    copies = StaffCopies.create(f"sqlite:///{tmp_path / 'feedback.db'}")
    copies.link("patient-1", "staff-" + "a" * 24)
    assert copies.forget_copies(engine, ["patient-2"]) == 0
    assert copies.forget_copies(engine, ["patient-1"]) == 1
    with engine.connect() as connection:
        senders = set(connection.execute(sa.text("SELECT sender_id FROM events")).scalars())
    assert senders == {"patient-1", "staff-" + "b" * 24}  # the patient's own rows: forget() deletes those
    assert copies.forget(["patient-1"]) == []  # the link went too
    with sa.create_engine(f"sqlite:///{tmp_path / 'feedback.db'}").connect() as connection:
        assert "patient-1" not in str(connection.execute(sa.text("SELECT * FROM staff_copies")).all())
