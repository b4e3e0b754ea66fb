"""hft report: the HTML page of two short SST-2 runs, opened in headless Chromium. Every chart holds
exactly the points of trainer_state.json's log_history (read here by Python), the best checkpoint
sits where trainer_state.json says, the pixels of every chart and of a screenshot are drawn, the
console has no errors, and the classification report agrees with scikit-learn on `hft predict`'s
predictions of the same validation rows. The runs fine-tune all-MiniLM-L6-v2 for 12 steps: the
tiny random model of other tests predicts one class for every row, a confusion matrix with nothing
in half of its cells."""
import csv
import json
import math
import os

from hft_e2e import REPO, check, describe, run_hft
from report_page import (canvas_pixels, chart_datasets, chart_ids, console_errors, load, open_browser, run_table,
                         save_screenshots)
from training_runs import SST2_DEV, scratch_dir, write_recipe

MODEL = os.path.join(REPO, "models", "all-MiniLM-L6-v2")
EVAL_ROWS = 64
BEST_METRIC = "eval_accuracy"
NOT_CHARTED = {"step", "epoch", "total_flos"}
SMOOTHING_WEIGHT = 0.6


def numeric(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def chartable_keys(histories):
    """Numeric log keys but the step, epoch, total_flos and those of the final summary entry."""
    excluded = NOT_CHARTED | {key for history in histories for entry in history if "train_runtime" in entry
                              for key in entry}
    return {key for history in histories for entry in history if numeric(entry.get("step"))
            for key, value in entry.items() if numeric(value) and key not in excluded}


def points(history, key):
    return [{"x": e["step"], "y": e[key]} for e in history if numeric(e.get(key)) and numeric(e.get("step"))]


def smoothed(series):
    """TensorBoard's debiased exponential moving average, written out from its definition."""
    out, average = [], 0.0
    for t, point in enumerate(series, start=1):
        average = SMOOTHING_WEIGHT * average + (1 - SMOOTHING_WEIGHT) * point["y"]
        out.append({"x": point["x"], "y": average / (1 - SMOOTHING_WEIGHT ** t)})
    return out


def train(tmp, name, learning_rate, seed):
    """12 optimizer steps, evaluated and saved every 3; the best checkpoint by accuracy is loaded at the end."""
    out = os.path.join(tmp, name)
    recipe = write_recipe(os.path.join(tmp, f"{name}.yaml"), MODEL, out, num_train_epochs=1, learning_rate=learning_rate,
                          seed=seed, validation_file=SST2_DEV, max_eval_samples=EVAL_ROWS, eval_strategy="steps",
                          eval_steps=3, save_steps=3, save_only_model=True, save_total_limit=1,
                          load_best_model_at_end=True, metric_for_best_model="accuracy")
    done = run_hft("train", recipe, timeout=600)
    check(done.returncode == 0, describe(done))
    check(os.path.exists(os.path.join(out, "report.html")), f"hft train wrote no {out}/report.html (html_report: true)")
    state = json.load(open(os.path.join(out, "trainer_state.json")))
    check(numeric(state.get("best_global_step")), f"{name}: no best_global_step in trainer_state.json")
    return dict(name=name, folder=out, recipe=recipe, history=state["log_history"],
                best=[{"x": state["best_global_step"], "y": state["best_metric"]}])


def check_charts(driver, page, runs):
    """The charts hold the runs' log_history: one chart per key, one line per run, the smoothed loss
    and the best checkpoint's star."""
    expected_keys = chartable_keys([run["history"] for run in runs])
    ids = chart_ids(driver)
    check(len(ids) == len(expected_keys) and set(ids) == expected_keys,
          f"{page}: charts {ids}, expected one per key of {sorted(expected_keys)}")
    check(ids[:3] == ["loss", "learning_rate", "grad_norm"], f"{page}: chart order {ids}")
    charts = chart_datasets(driver)
    compared = 0
    for key in ids:
        datasets = {d["label"]: d["data"] for d in charts[key]}
        expected = {}
        for run in runs:
            series = points(run["history"], key)
            if series:
                expected[run["name"]] = series
            if series and key == "loss":
                expected[f"{run['name']} (smoothed)"] = smoothed(series)
            if key == BEST_METRIC and run["best"]:
                expected[f"{run['name']} best"] = run["best"]
                check(run["best"][0] in series, f"{run['name']}: the best checkpoint {run['best']} is not an evaluation")
        check(set(datasets) == set(expected), f"{page} {key}: datasets {sorted(datasets)}, expected {sorted(expected)}")
        for label, data in expected.items():
            if label.endswith("(smoothed)"):
                check(len(datasets[label]) == len(data) and all(
                    a["x"] == b["x"] and math.isclose(a["y"], b["y"], rel_tol=1e-12)
                    for a, b in zip(datasets[label], data)), f"{page} {key} {label}: {datasets[label]} != {data}")
            else:
                check(datasets[label] == data, f"{page} {key} {label}: {datasets[label]} != {data}")
            compared += len(data)
    return len(ids), compared


def check_pixels(driver, page, stem):
    for chart, count in canvas_pixels(driver).items():
        check(count["drawn"] > 2000 and count["coloured"] > 300, f"{page}: chart {chart} looks blank: {count}")
    from PIL import Image
    window, full = save_screenshots(driver, stem)
    sizes = []
    for path in (window, full):
        with Image.open(path) as image:
            check(image.format == "PNG", f"{path} is not a PNG")
            extrema = image.convert("RGB").getextrema()
            check(any(low != high for low, high in extrema), f"{path} is one colour")
            sizes.append(image.size)
    check(sizes[1][1] > sizes[0][1], f"the full-page screenshot {sizes[1]} is not taller than the window {sizes[0]}")


def check_page(driver, path, runs, stem):
    error = load(driver, path)
    check(error is None, f"{path}: the page failed: {error}")
    severe = console_errors(driver)
    check(not severe, f"{path}: console errors {severe}")
    charts, compared = check_charts(driver, path, runs)
    check_pixels(driver, path, stem)
    check(not console_errors(driver), f"{path}: console errors after drawing")
    return charts, compared


def predicted_labels(tmp, run):
    """`hft predict` of the run's final (best) model on the first EVAL_ROWS validation rows, and their gold labels."""
    with open(SST2_DEV, newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[:EVAL_ROWS]
    subset, predictions = os.path.join(tmp, "dev-subset.tsv"), os.path.join(tmp, "predictions.tsv")
    with open(subset, "w") as f:
        f.write("sentence\tlabel\n" + "".join(f"{r['sentence']}\t{r['label']}\n" for r in rows))
    done = run_hft("predict", run["recipe"], "--input", subset, "--output", predictions,
                   f"model_name_or_path={run['folder']}", f"output_dir={os.path.join(tmp, 'predict')}", timeout=600)
    check(done.returncode == 0, describe(done))
    with open(predictions, newline="") as f:
        predicted = [r["prediction"] for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    check(len(predicted) == EVAL_ROWS, f"{len(predicted)} predictions for {EVAL_ROWS} rows")
    return [r["label"] for r in rows], predicted


def check_classification_report(driver, tmp, run):
    """The page's confusion matrix and per-class scores against scikit-learn on hft predict's labels."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    matrix_rows = run_table(driver, run["name"], "confusion-matrix")
    per_class = run_table(driver, run["name"], "per-class")
    check(matrix_rows and per_class, f"{run['name']}: no classification report on the page")
    labels = [row["label"] for row in matrix_rows]
    matrix = [[cell["value"] for cell in row["cells"]] for row in matrix_rows]
    total = sum(map(sum, matrix))
    check(total == EVAL_ROWS, f"the confusion matrix {matrix} counts {total} rows, not {EVAL_ROWS}")
    accuracy = json.load(open(os.path.join(run["folder"], "eval_results.json")))["eval_accuracy"]
    trace = sum(matrix[i][i] for i in range(len(labels)))
    check(abs(trace / total - accuracy) < 1e-12, f"eval_accuracy {accuracy}, the matrix's {trace}/{total}")

    gold, predicted = predicted_labels(tmp, run)
    check(set(gold) | set(predicted) <= set(labels), f"labels {labels} vs predictions {sorted(set(predicted))}")
    expected = confusion_matrix(gold, predicted, labels=labels).tolist()
    check(matrix == expected, f"confusion matrix {matrix}, scikit-learn on hft predict's labels {expected}")
    scores = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    for i, row in enumerate(per_class):
        check(row["label"] == labels[i], f"per-class rows {[r['label'] for r in per_class]} vs labels {labels}")
        page = {cell["key"]: cell["value"] for cell in row["cells"]}
        for key, want in zip(("precision", "recall", "f1", "support"), (s[i] for s in scores)):
            check(abs(page[key] - float(want)) < 1e-12, f"{row['label']} {key}: page {page[key]}, scikit-learn {want}")
    return accuracy


def check_without_report(tmp, run):
    """html_report: false: the run ends without report.html."""
    out = os.path.join(tmp, "no-report")
    done = run_hft("train", run["recipe"], "html_report=false", "max_steps=1", f"output_dir={out}", "eval_strategy=no",
                   "save_strategy=no", "load_best_model_at_end=false", "metric_for_best_model=null", timeout=600)
    check(done.returncode == 0 and os.path.exists(os.path.join(out, "trainer_state.json")), describe(done))
    check(not os.path.exists(os.path.join(out, "report.html")), "html_report=false: hft train wrote report.html")


def main():
    with scratch_dir() as tmp:
        runs = [train(tmp, "run-a", 3e-4, seed=7), train(tmp, "run-b", 2e-4, seed=8)]

        single = os.path.join(runs[0]["folder"], "report.html")
        os.remove(single)  # written by hft train; hft report must write it again
        done = run_hft("report", runs[0]["folder"])
        check(done.returncode == 0 and os.path.exists(single), describe(done))
        both = os.path.join(tmp, "both.html")
        done = run_hft("report", runs[0]["folder"], runs[1]["folder"], "--output", both)
        check(done.returncode == 0 and os.path.exists(both), describe(done))

        check_without_report(tmp, runs[0])
        not_a_run = run_hft("report", tmp)
        check(not_a_run.returncode == 2 and len(not_a_run.stderr.strip().splitlines()) == 1
              and "trainer_state.json" in not_a_run.stderr, "hft report on a folder that is no run: " + describe(not_a_run))

        driver = open_browser()
        try:
            charts, compared = check_page(driver, single, runs[:1], os.path.join(tmp, "run-a"))
            check_page(driver, both, runs, os.path.join(tmp, "both"))
            load(driver, single)
            accuracy = check_classification_report(driver, tmp, runs[0])
        finally:
            driver.quit()
        print(f"hft report: {charts} charts hold log_history's {compared} points, both runs overlaid, "
              f"best checkpoint marked, classification report = scikit-learn (eval_accuracy {accuracy:.4f})")


if __name__ == "__main__":
    main()
