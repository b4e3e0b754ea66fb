"""Oracle: scikit-learn and scipy metrics on fixed random cases, as JSON.

Prints {"classification": [{"num_classes", "truth", "predicted", metrics...}],
        "regression": [{"predictions", "targets", "pearson", "spearmanr"}]}.
"""
import json

import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import accuracy_score, f1_score, matthews_corrcoef, precision_score, recall_score


def classification_case(rng, num_classes, n, degenerate=False):
    truth = rng.integers(0, num_classes, n)
    predicted = np.zeros(n, dtype=int) if degenerate else np.where(rng.random(n) < 0.7, truth, rng.integers(0, num_classes, n))
    case = {"num_classes": num_classes, "truth": truth.tolist(), "predicted": predicted.tolist(),
            "accuracy": accuracy_score(truth, predicted),
            "f1_macro": f1_score(truth, predicted, average="macro", zero_division=0),
            "precision_macro": precision_score(truth, predicted, average="macro", zero_division=0),
            "recall_macro": recall_score(truth, predicted, average="macro", zero_division=0),
            "matthews_correlation": matthews_corrcoef(truth, predicted)}
    if num_classes == 2:
        case.update(f1=f1_score(truth, predicted, zero_division=0),
                    precision=precision_score(truth, predicted, zero_division=0),
                    recall=recall_score(truth, predicted, zero_division=0))
    return case


def regression_case(rng, n, ties):
    targets = rng.integers(0, 6, n).astype(float) if ties else rng.normal(size=n)
    predictions = targets + rng.normal(scale=0.8, size=n)
    if ties:
        predictions = np.round(predictions, 1)
    return {"predictions": predictions.tolist(), "targets": targets.tolist(),
            "pearson": float(pearsonr(predictions, targets)[0]), "spearmanr": float(spearmanr(predictions, targets)[0])}


def main():
    rng = np.random.default_rng(0)
    out = {"classification": [classification_case(rng, 2, 872), classification_case(rng, 2, 50),
                              classification_case(rng, 3, 500), classification_case(rng, 5, 300),
                              classification_case(rng, 2, 40, degenerate=True)],
           "regression": [regression_case(rng, 1500, ties=False), regression_case(rng, 300, ties=True)]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
