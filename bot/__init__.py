"""sscbot: the project's own library for the refractory systemic sclerosis assistant."""
