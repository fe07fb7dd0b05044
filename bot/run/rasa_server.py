"""The Rasa server: `python -m bot.run.rasa_server run ...` is `python -m rasa run ...`, started sooner.

When first imported, skops (which loads the trained intent classifier) works out
which types it trusts by looking for each of about 750 types in every loaded
module. Rasa imports it while loading the model, after TensorFlow and the rest of
Rasa are loaded: then that search took about 10 of the server's 17 s to start.
Imported here first, it searches the few modules loaded so far.
"""

import runpy

import skops.io  # noqa: F401  (before Rasa: see above)

if __name__ == "__main__":
    runpy.run_module("rasa", run_name="__main__", alter_sys=True)
