"""Oracle: seqeval's entities and metrics, as evaluate's "seqeval" metric and run_ner.py report them.

Usage: seqeval_reference.py '<json>' with
    {"cases": [{"truth": [[tag, ...], ...], "predicted": [[tag, ...], ...],
                "suffix": false, "zero_division": "warn", "mode": null, "scheme": null}]}
    (all but truth and predicted optional; mode "strict" with a scheme: "IOB2", "IOBES", ...)
Prints {"cases": [{"true_entities": [[[type, first, last], ...] per sentence],
                   "predicted_entities": (the same for the predictions),
                   "metrics": [[name, value], ...],          run_ner's compute_metrics, default
                   "entity_metrics": [[name, value], ...]}]}  with return_entity_level_metrics
Name/value pairs are lists so that the order of run_ner's dict survives. evaluate's wrapper is
not in the reference stack: evaluate_seqeval() does what its _compute does with seqeval's
classification_report (output_dict) and accuracy_score, and run_ner_metrics() what run_ner.py's
compute_metrics does with that.
"""
import json
import sys

from seqeval.metrics import accuracy_score, classification_report
from seqeval.metrics.sequence_labeling import get_entities
from seqeval import scheme as seqeval_schemes


def evaluate_seqeval(truth, predicted, suffix, zero_division, mode, scheme):
    report = classification_report(y_true=truth, y_pred=predicted, suffix=suffix, output_dict=True,
                                   scheme=scheme, mode=mode, sample_weight=None, zero_division=zero_division)
    report.pop("macro avg")
    report.pop("weighted avg")
    overall = report.pop("micro avg")
    scores = {name: {"precision": s["precision"], "recall": s["recall"], "f1": s["f1-score"], "number": s["support"]}
              for name, s in report.items()}
    scores["overall_precision"] = overall["precision"]
    scores["overall_recall"] = overall["recall"]
    scores["overall_f1"] = overall["f1-score"]
    scores["overall_accuracy"] = accuracy_score(y_true=truth, y_pred=predicted)
    return scores


def run_ner_metrics(results, entity_level):
    if not entity_level:
        return [[name, float(results["overall_" + name])] for name in ("precision", "recall", "f1", "accuracy")]
    flat = []
    for key, value in results.items():
        if isinstance(value, dict):
            flat.extend([f"{key}_{n}", float(v)] for n, v in value.items())
        else:
            flat.append([key, float(value)])
    return flat


def entities(sentences, suffix, mode, scheme):
    if mode == "strict":  # seqeval's Entity ends one past the last word
        return [[[e.tag, e.start, e.end - 1] for e in seqeval_schemes.Tokens(s, scheme, suffix=suffix).entities]
                for s in sentences]
    return [[[t, int(first), int(last)] for t, first, last in get_entities(s, suffix)] for s in sentences]


def reference(case):
    truth, predicted = case["truth"], case["predicted"]
    suffix, mode = case.get("suffix", False), case.get("mode")
    scheme = getattr(seqeval_schemes, case["scheme"]) if case.get("scheme") else None  # as evaluate looks it up
    results = evaluate_seqeval(truth, predicted, suffix, case.get("zero_division", "warn"), mode, scheme)
    return {"true_entities": entities(truth, suffix, mode, scheme),
            "predicted_entities": entities(predicted, suffix, mode, scheme),
            "metrics": run_ner_metrics(results, entity_level=False),
            "entity_metrics": run_ner_metrics(results, entity_level=True)}


def main():
    spec = json.loads(sys.argv[1])
    print(json.dumps({"cases": [reference(case) for case in spec["cases"]]}))


if __name__ == "__main__":
    main()
