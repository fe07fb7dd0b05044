"""The action server: `python -m bot.action_server` is `python -m rasa_sdk`, without TensorFlow.

spaCy's thinc imports TensorFlow whenever it is installed (Rasa needs it); the
actions never use it. Ruled out, the action server needs about 140 MB instead of
500 MB and starts in about 3 s instead of 7 s (`make bench`).
"""
import sys

sys.modules["tensorflow"] = None  # `import tensorflow` now raises ImportError: thinc goes on without it

from rasa_sdk.__main__ import main  # noqa: E402  (after TensorFlow is ruled out)

if __name__ == "__main__":
    main()
