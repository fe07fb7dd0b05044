"""The Rasa server: `python -m bot.rasa_server run ...` is `python -m rasa run ...`, started sooner.

When first imported, skops (which loads the trained intent classifier) works out
which types it trusts by looking for each of about 750 types in every loaded
module. Rasa imports it while loading the model, after TensorFlow and the rest of
Rasa are loaded: then that search took about 10 of the server's 17 s to start.
Imported here first, it searches the few modules loaded so far.
"""
import skops.io  # noqa: F401  (before Rasa: see above)
from rasa.__main__ import main  # noqa: E402

if __name__ == "__main__":
    main()
