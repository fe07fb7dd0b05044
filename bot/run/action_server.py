"""The action server: `python -m bot.run.action_server` is `python -m rasa_sdk`, without
TensorFlow, after checking that the actions can answer from the content store.

spaCy's thinc imports TensorFlow whenever it is installed (Rasa needs it); the
actions never use it. Ruled out, the action server needs about 140 MB instead of
500 MB and starts in about 3 s instead of 7 s (`make bench`).
"""

import sys


def main() -> None:
    sys.modules["tensorflow"] = None  # type: ignore[assignment]  # `import tensorflow` now raises ImportError
    from rasa_sdk.__main__ import main as serve
    from sqlalchemy.exc import SQLAlchemyError

    import actions
    from bot.records.schema import SchemaError

    try:
        actions.check_content()
    except (LookupError, SQLAlchemyError, SchemaError) as error:
        sys.exit(
            f"The action server cannot answer from the content store: {error}. " f"Load it first: sscbot content load"
        )
    serve()


if __name__ == "__main__":
    main()
