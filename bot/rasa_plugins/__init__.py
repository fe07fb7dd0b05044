"""Everything Rasa loads by dotted path from config.yml, credentials.yml and
endpoints.yml, and the only code that imports Rasa: the NLU components (term_extractor,
sentence_encoder, sentence_classifier, item_ranker, safety_override, on component_base),
the REST channel (channel), the tracker store (tracker_store), the lock store
(lock_store) and the patches to Rasa's own code (patches, applied by bot.run.rasa_server)."""
