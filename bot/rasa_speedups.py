"""Fixes for slow paths in Rasa 3.6, applied in the Rasa server process (imported
by bot/channel.py, which Rasa loads at start). Found by profiling, measured with
`make bench`.

- RemoteAction._validate_action_result called jsonschema.validate() on every action
  reply, which checks Rasa's schema against the JSON Schema meta-schema each time;
  the validator is now built once, with the same checks and message.
- Event.resolve_by_type walked every subclass of Event for each event read back
  from the tracker store; the lookup by name is now cached.
- DaskGraphRunner.run, called for each message's NLU and each action prediction,
  worked out the nodes a target needs anew each time (a recursive walk that
  deep-copies the schema) and handed them to dask's scheduler; the order is now
  worked out once per target list and the nodes are called in it, one after the
  other, in the same thread, as dask's synchronous scheduler did.
- LogisticRegressionClassifier._create_X combined every featurizer's sequence
  features for each message only to drop them and keep the sentence features; it
  now combines the sentence features alone, into the same matrix.
- MessageProcessor checked for each message whether the domain is empty by building
  an empty Domain to compare with; the empty domain's dict is now built once.
- After start, the loaded model, Rasa and TensorFlow are hundreds of thousands of
  objects that Python's garbage collector walked again in every full collection;
  they are now frozen out of its sight (gc.freeze), once the model is loaded.
"""
import functools
import gc
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

import numpy as np
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.constants import DOCS_BASE_URL
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message
from scipy.sparse import csr_matrix, hstack, vstack

_SCHEMA = RemoteAction.action_response_format_spec()
_VALIDATOR = validator_for(_SCHEMA)(_SCHEMA)


def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
    error = best_match(_VALIDATOR.iter_errors(result))
    if error is not None:
        error.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


RemoteAction._validate_action_result = _validate_action_result
Event.resolve_by_type = staticmethod(functools.lru_cache(maxsize=None)(Event.resolve_by_type))


def _run_order(schema: GraphSchema, targets: Tuple[Text, ...]) -> List[Tuple[Text, Tuple[Text, ...]]]:
    """(node, the names it needs) for every node the targets need, each after what it needs."""
    order: Dict[Text, Tuple[Text, ...]] = {}

    def visit(name: Text) -> None:
        if name in order or name not in schema.nodes:  # done, or an input placeholder
            return
        needs = tuple(schema.nodes[name].needs.values())
        for need in needs:
            visit(need)
        order[name] = needs

    for target in targets:
        visit(target)
    return list(order.items())


def _run_graph(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
               targets: Optional[Sequence[Text]] = None) -> Dict[Text, Any]:
    """DaskGraphRunner.run: the same inputs, node calls, results and errors, without dask."""
    run_targets = tuple(targets or self._graph_schema.target_names)
    orders = self.__dict__.setdefault("_run_orders", {})  # per target list; the schema never changes
    if run_targets not in orders:
        orders[run_targets] = _run_order(self._graph_schema, run_targets)
    order = orders[run_targets]
    values: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and any(value == node for node, _ in order):
            raise GraphRunError(f"Input value '{value}' clashes with a node name. Make sure that none of the "
                                f"input names passed to the `run` method are the same as node names in the "
                                f"graph schema.")
        values[name] = (name, value)  # what a node receives from each node it needs: (name, output)
    try:
        for name, needs in order:
            if name not in values:  # an input replaces the node of the same name
                # A need nobody gave reaches the node as its name, as with dask: the node says what is missing.
                values[name] = self._instantiated_nodes[name](*(values.get(need, need) for need in needs))
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(values[target] for target in run_targets)


DaskGraphRunner.run = _run_graph


def _sentence_features(message: Message, sparse: bool) -> Optional[Features]:
    """The message text's sentence features of one kind, combined as Message.get_*_features does."""
    _, sentence = message._filter_sparse_features(TEXT, []) if sparse else message._filter_dense_features(TEXT, [])
    return message._combine_features(sentence, [])


def _create_X(self: LogisticRegressionClassifier, messages: List[Message]) -> csr_matrix:
    """LogisticRegressionClassifier._create_X: each message's sparse then dense sentence features, one row each."""
    rows = []
    for message in messages:
        parts = [csr_matrix(f.features) for f in (_sentence_features(message, True), _sentence_features(message, False))
                 if f is not None]
        rows.append(parts[0] if len(parts) == 1 else hstack(parts or [csr_matrix([])]))
    return csr_matrix(rows[0] if len(rows) == 1 else vstack(rows), dtype=np.float64)  # Rasa's type: float64


LogisticRegressionClassifier._create_X = _create_X

_EMPTY_DOMAIN = Domain.empty().as_dict()
Domain.is_empty = lambda self: self.as_dict() == _EMPTY_DOMAIN


def freeze_loaded_objects() -> None:
    """Collect once, then keep every object alive now out of later collections."""
    gc.collect()
    gc.freeze()
