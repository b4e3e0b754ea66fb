#!/usr/bin/env python3
"""The reference of hft's token classification: what transformers' run_ner.py does with local files.

Usage: token_classification_reference.py align TOKENIZER_DIR DATA_FILE MAX_LENGTH LABEL_ALL_TOKENS [LABEL_FILE]
Prints {"label_list": [...], "rows": [{"input_ids": [...], "labels": [...]}, ...]}: DATA_FILE's
sentences tokenized and their tags aligned as run_ner.py does, the label list built from LABEL_FILE
(default DATA_FILE) as run_ner.py builds it from the training file (and reordered as the model
wants when TOKENIZER_DIR holds a config.json with labels). MAX_LENGTH 0: run_ner.py's default (no
max_seq_length: the tokenizer's model_max_length). LABEL_ALL_TOKENS: 0 or 1.

trainer_reference.py calls build() for `task: token-classification`.

Files: .json/.jsonl as load_dataset("json") reads them (run_ner.py's way); .csv/.tsv (also .gz)
as data_tables.py reads them, each cell of the two columns a JSON list (["EU", "rejects"]) or
else words separated by ASCII whitespace; .conll/.txt: CoNLL text (read_conll). Columns as
run_ner.py picks them: `tokens` if present else the first; `ner_tags` if present else the second
(run_ner.py's f"{task_name}_tags" with its default task_name "ner").
"""
import gzip
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from data_tables import load as load_table  # noqa: E402
from seqeval_reference import evaluate_seqeval  # noqa: E402

# ASCII whitespace only, as a C++ isspace() reader splits: Python's str.split() would also split
# at U+00A0 and other Unicode spaces, which tweets hold inside tokens.
ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
# run_ner.py loads these model types' (byte-level BPE) tokenizers with add_prefix_space=True.
PREFIX_SPACE_MODEL_TYPES = {"bloom", "gpt2", "roberta", "deberta"}
CONLL_EXTENSIONS = (".conll", ".txt")


def split_words(text):
    return [word for word in ASCII_SPACE.split(text) if word]


def open_text(path):
    """utf-8-sig: a byte order mark is not part of the first token (hft's readers skip it too)."""
    return gzip.open(path, "rt", encoding="utf-8-sig") if path.endswith(".gz") else open(path, encoding="utf-8-sig")


def read_conll(path):
    """CoNLL text: one token a line, its columns separated by whitespace, the token first and the
    tag last; a line that is empty or only whitespace ends a sentence; -DOCSTART- lines are
    document markers, not tokens. Sentences are never empty: the blank line after a -DOCSTART-,
    or a second blank line, ends nothing. Returns {"tokens": [...], "ner_tags": [...]}."""
    table = {"tokens": [], "ner_tags": []}
    words, tags = [], []
    with open_text(path) as f:
        for number, line in enumerate(f, 1):
            columns = split_words(line)
            if columns and not columns[0].startswith("-DOCSTART-"):
                if len(columns) < 2:
                    raise ValueError(f"{path}:{number}: a token without a tag: {line.rstrip()!r}")
                words.append(columns[0])
                tags.append(columns[-1])
            elif words:  # a blank line or a document marker ends the sentence under way
                table["tokens"].append(words)
                table["ner_tags"].append(tags)
                words, tags = [], []
    if words:
        table["tokens"].append(words)
        table["ner_tags"].append(tags)
    return table


def cell_list(value):
    """A csv/tsv cell of words or tags: a JSON list, else words separated by whitespace."""
    text = "" if value is None else str(value)
    if text.lstrip().startswith("["):
        try:
            parsed = json.loads(text)
            if isinstance(parsed, list):
                return parsed
        except ValueError:
            pass  # "[" as a word of a plain sentence
    return split_words(text)


def default_columns(column_names, text_column=None, label_column=None):
    """run_ner.py's choice of the words column and the tags column."""
    text = text_column or ("tokens" if "tokens" in column_names else column_names[0])
    label = label_column or ("ner_tags" if "ner_tags" in column_names else column_names[1])
    return text, label


def read_tagged_file(path, text_column=None, label_column=None):
    """The file's sentences as a datasets.Dataset with two columns, (text_column, label_column),
    unset names chosen as run_ner.py chooses them."""
    import datasets

    bare = path.removesuffix(".gz")
    if bare.endswith(CONLL_EXTENSIONS):
        table = datasets.Dataset.from_dict(read_conll(path))
    else:
        table = load_table({"path": path}, None)
    text_column, label_column = default_columns(table.column_names, text_column, label_column)
    table = table.select_columns([text_column, label_column])
    if bare.endswith((".csv", ".tsv")):  # json cells are lists already; csv cells are text
        table = datasets.Dataset.from_dict({name: [cell_list(v) for v in table[name]] for name in table.column_names})
    return table


def get_label_list(tag_lists):
    """run_ner.py's get_label_list: the sorted set of every tag (files never hold a ClassLabel,
    and JSON integers stay integers: sorted as numbers)."""
    return sorted(set(tag for tags in tag_lists for tag in tags))


def follow_model_labels(config, label_list):
    """run_ner.py: a model trained with labels (label2id not the default of its size) keeps its
    order when they are the data's labels; otherwise the data's sorted order, with a warning."""
    from transformers import PreTrainedConfig

    if config.label2id == PreTrainedConfig(num_labels=len(label_list)).label2id:
        return label_list
    if sorted(config.label2id.keys()) == sorted(label_list):
        return [config.id2label[i] for i in range(len(label_list))]
    print(f"warning: the model's labels {sorted(config.label2id)} are not the data's {label_list}; ignored",
          file=sys.stderr)
    return label_list


def b_to_i_labels(label_list):
    """run_ner.py's map from each label id to the id that continuation pieces get under
    label_all_tokens: B-X's I-X when there is one (str.replace: every "B-" in the name), else itself."""
    out = []
    for index, label in enumerate(label_list):
        inside = label.replace("B-", "I-") if isinstance(label, str) and label.startswith("B-") else None
        out.append(label_list.index(inside) if inside in label_list else index)
    return out


def aligned_labels(word_ids, tags, label_to_id, b_to_i, label_all_tokens):
    """One row's labels: -100 on special tokens, the word's label on its first piece, and on the
    pieces after it -100 or (label_all_tokens) the label with B- turned into I-."""
    labels, previous = [], None
    for word in word_ids:
        if word is None:
            labels.append(-100)
        elif word != previous:
            labels.append(label_to_id[tags[word]])
        else:
            labels.append(b_to_i[label_to_id[tags[word]]] if label_all_tokens else -100)
        previous = word
    return labels


def tokenize_and_align_labels(tokenizer, rows, columns, label_list, max_length, padding, label_all_tokens):
    """run_ner.py's tokenize_and_align_labels over a batch of rows (Dataset.map, batched)."""
    text_column, label_column = columns
    encoded = tokenizer(rows[text_column], padding=padding, truncation=True, max_length=max_length,
                        is_split_into_words=True)
    label_to_id = {label: i for i, label in enumerate(label_list)}
    b_to_i = b_to_i_labels(label_list)
    encoded["labels"] = [aligned_labels(encoded.word_ids(batch_index=i), tags, label_to_id, b_to_i, label_all_tokens)
                         for i, tags in enumerate(rows[label_column])]
    return encoded


def model_type(folder):
    """config.json's model_type, or for a tokenizer-only folder the one its tokenizer class names."""
    config = os.path.join(folder, "config.json")
    if os.path.exists(config):
        with open(config) as f:
            return json.load(f).get("model_type")
    tokenizer_config = os.path.join(folder, "tokenizer_config.json")
    if os.path.exists(tokenizer_config):
        with open(tokenizer_config) as f:
            name = json.load(f).get("tokenizer_class") or ""
        return name.removesuffix("Fast").removesuffix("Tokenizer").lower()
    return None


def load_tokenizer(folder, type_of_model):
    """As run_ner.py loads it: byte-level BPE models' tokenizers with add_prefix_space=True (words
    are encoded one by one, each as if a space came before it)."""
    from transformers import AutoTokenizer

    if type_of_model in PREFIX_SPACE_MODEL_TYPES:
        return AutoTokenizer.from_pretrained(folder, add_prefix_space=True)
    return AutoTokenizer.from_pretrained(folder)


def run_ner_metrics(scores, entity_level):
    """run_ner.py's compute_metrics from evaluate's seqeval scores: the overall four, or (entity
    level) every score flattened, per-type dicts as TYPE_precision ... TYPE_number."""
    if not entity_level:
        return {name: scores["overall_" + name] for name in ("precision", "recall", "f1", "accuracy")}
    flat = {}
    for key, value in scores.items():
        if isinstance(value, dict):
            flat.update({f"{key}_{name}": v for name, v in value.items()})
        else:
            flat[key] = value
    return flat


def metric_function(label_list, entity_level):
    """The Trainer's compute_metrics: argmax over labels, positions labelled -100 dropped, then
    seqeval with evaluate's defaults (no suffix, default mode, zero_division "warn")."""
    import numpy as np

    def compute(prediction):
        predicted = np.argmax(prediction.predictions, axis=2)
        truth, guess = [], []
        for predicted_row, label_row in zip(predicted, prediction.label_ids):
            kept = [(p, l) for p, l in zip(predicted_row, label_row) if l != -100]
            guess.append([label_list[p] for p, _ in kept])
            truth.append([label_list[l] for _, l in kept])
        return run_ner_metrics(evaluate_seqeval(truth, guess, False, "warn", None, None), entity_level)

    return compute


def build(model_args, data, args):
    """run_ner.py's setup for the Trainer: the model with a new head of the training file's labels,
    the encoded splits, DataCollatorForTokenClassification and compute_metrics."""
    from transformers import AutoConfig, AutoModelForTokenClassification, DataCollatorForTokenClassification

    train_raw = read_tagged_file(data["train_file"], data.get("text_column_name"), data.get("label_column_name"))
    columns = tuple(train_raw.column_names)
    validation_raw = read_tagged_file(data["validation_file"], *columns)
    label_list = get_label_list(train_raw[columns[1]])
    model_dir = model_args["model_name_or_path"]
    config = AutoConfig.from_pretrained(model_args.get("config_name") or model_dir, num_labels=len(label_list),
                                        finetuning_task="ner")
    tokenizer = load_tokenizer(model_args.get("tokenizer_name") or model_dir, config.model_type)
    model = AutoModelForTokenClassification.from_pretrained(model_dir, config=config,
                                                      ignore_mismatched_sizes=bool(model_args.get("ignore_mismatched_sizes")))
    label_list = follow_model_labels(model.config, label_list)
    model.config.label2id = {label: i for i, label in enumerate(label_list)}
    model.config.id2label = dict(enumerate(label_list))

    padding = "max_length" if data.get("pad_to_max_length") else False

    def encode(rows):
        return tokenize_and_align_labels(tokenizer, rows, columns, label_list, data.get("max_seq_length"), padding,
                                         bool(data.get("label_all_tokens")))

    return dict(model=model, tokenizer=tokenizer,
                train=train_raw.map(encode, batched=True, desc="tokenizing"),
                validation=validation_raw.map(encode, batched=True, desc="tokenizing"),
                collator=DataCollatorForTokenClassification(tokenizer, pad_to_multiple_of=8 if args.fp16 else None),
                compute_metrics=metric_function(label_list, bool(data.get("return_entity_level_metrics"))))


def align(tokenizer_dir, data_file, max_length, label_all_tokens, label_file=None):
    """The `align` command's JSON object."""
    from transformers import AutoConfig

    label_table = read_tagged_file(label_file or data_file)
    columns = tuple(label_table.column_names)
    label_list = get_label_list(label_table[columns[1]])
    if os.path.exists(os.path.join(tokenizer_dir, "config.json")):
        config = AutoConfig.from_pretrained(tokenizer_dir, num_labels=len(label_list))
        label_list = follow_model_labels(config, label_list)
    tokenizer = load_tokenizer(tokenizer_dir, model_type(tokenizer_dir))
    rows = read_tagged_file(data_file, *columns)[:]
    encoded = tokenize_and_align_labels(tokenizer, rows, columns, label_list, max_length or None, False,
                                        label_all_tokens)
    pairs = zip(encoded["input_ids"], encoded["labels"])
    return {"label_list": label_list, "rows": [{"input_ids": ids, "labels": labels} for ids, labels in pairs]}


def main():
    if len(sys.argv) not in (6, 7) or sys.argv[1] != "align" or sys.argv[5] not in ("0", "1"):
        sys.exit(__doc__)
    import datasets

    datasets.disable_progress_bars()
    result = align(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1",
                   sys.argv[6] if len(sys.argv) == 7 else None)
    json.dump(result, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
