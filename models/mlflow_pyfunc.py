"""The MLflow pyfunc face of a triage model, logged as "models from code".

MLflow copies this file into every logged model and runs it when the model is loaded, so nothing is
pickled and loading needs only the installed ``rcrp`` core (never the training code). Input: a
DataFrame with ``narrative`` (and optionally ``id``); output: one row per call with the suggestion's
fields (scores and reasons as JSON strings, so the signature stays flat).
"""

from __future__ import annotations

import json

import mlflow
import pandas as pd
from mlflow.models import set_model


class RcrpTriagePyfunc(mlflow.pyfunc.PythonModel):
    def load_context(self, context) -> None:
        from rcrp.models.triage_model import TriageModel

        self._model = TriageModel.load(context.artifacts["triage_model"])

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        narratives = [str(t) for t in model_input["narrative"]]
        ids = [str(i) for i in model_input["id"]] if "id" in model_input else [str(i) for i in range(len(narratives))]
        rows = []
        for row in self._model.suggest_rows(ids, narratives):
            row["category_scores"] = json.dumps(row["category_scores"])
            row["reasons"] = json.dumps(row["reasons"])
            rows.append(row)
        return pd.DataFrame(rows)


set_model(RcrpTriagePyfunc())
