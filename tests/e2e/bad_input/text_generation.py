"""Data and models of `task: text-generation` through the binary: a `messages` row with a role that is
not a chat role, a chat template that refuses to render (raise_exception on a known line), a
prompt/completion row whose completion alone is longer than max_length, a model folder of an
architecture hft lacks (Falcon), a training file with a prompt column but no completion column, and
assistant_only_loss on text rows. Each is one line naming the file and line (or the key), exit
2, nothing written into output_dir.
Run with case names as arguments to run only those."""
import json
import os
import shutil

from _common import check_one_line_error, run_cases, run_limited
from hft_e2e import REPO, check, run_oracle
from training_runs import scratch_dir

TEMPLATE = """{%- for message in messages %}
{%- if message['role'] == 'system' %}
{{- raise_exception('no system role') }}
{%- endif %}
{{- '<|' + message['role'] + '|>' + message['content'] + '\\n' }}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|assistant|>' }}{%- endif %}
"""
RAISING_LINE = 3  # the raise_exception line of TEMPLATE


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def jsonl(path, rows):
    return write(path, "".join(json.dumps(row) + "\n" for row in rows))


def recipe(tmp, name, model, **keys):
    """A text-generation training recipe; its output_dir must stay absent after a refused run."""
    keys = dict(dict(task="text-generation", model_name_or_path=model, output_dir=os.path.join(tmp, name + "-out"),
                     max_length=64, num_train_epochs=1, per_device_train_batch_size=2, use_cpu=True,
                     report_to="none"), **keys)
    path = os.path.join(tmp, name + ".yaml")
    with open(path, "w") as f:
        for key, value in keys.items():
            f.write(f"{key}: {json.dumps(value) if isinstance(value, (list, bool)) else value}\n")
    return path, keys["output_dir"]


def refused(name, path, out, words):
    done = run_limited("train", path)
    check_one_line_error(name, done, codes=(2,), words=words)
    check(not os.path.exists(out), f"{name}: {out} was created by a refused run")


def conversation(review, label, system=False):
    messages = [{"role": "system", "content": "You label reviews."}] if system else []
    return {"messages": messages + [{"role": "user", "content": f"Review: {review}\nPositive or negative?"},
                                    {"role": "assistant", "content": label}]}


def prompt_rows(n=4):
    return [{"prompt": f"Review: film number {i} is fine .\nSentiment:", "completion": " positive"} for i in range(n)]


def unknown_role(tmp, models):
    rows = [conversation(f"film {i}", "positive") for i in range(4)]
    rows[2]["messages"][0]["role"] = "usr"
    train = jsonl(os.path.join(tmp, "unknown_role.jsonl"), rows)
    path, out = recipe(tmp, "unknown_role", models["chat"], train_file=train)
    refused("a message with an unknown role", path, out, [f"{train}:3:", '"usr"'])


def template_refuses(tmp, models):
    rows = [conversation(f"film {i}", "positive", system=i == 1) for i in range(4)]
    train = jsonl(os.path.join(tmp, "system_rows.jsonl"), rows)
    path, out = recipe(tmp, "template_refuses", models["raising"], train_file=train)
    template = os.path.join(models["raising"], "chat_template.jinja")
    refused("a chat template that refuses a conversation", path, out, [f"{template}:{RAISING_LINE}:", "no system role"])


def completion_longer_than_max_length(tmp, models):
    rows = prompt_rows()
    rows[1]["completion"] = " positive" * 40  # 40 tokens, and the eos
    train = jsonl(os.path.join(tmp, "long_completion.jsonl"), rows)
    path, out = recipe(tmp, "long_completion", models["plain"], train_file=train, max_length=16)
    refused("a completion longer than max_length", path, out, [f"{train}:2:", "longer than max_length"])


def architecture_hft_lacks(tmp, models):
    folder = os.path.join(tmp, "falcon")
    shutil.copytree(models["plain"], folder)
    config_path = os.path.join(folder, "config.json")
    with open(config_path) as f:
        config = json.load(f)
    config.update(model_type="falcon", architectures=["FalconForCausalLM"])
    write(config_path, json.dumps(config, indent=2))
    train = jsonl(os.path.join(tmp, "falcon_rows.jsonl"), prompt_rows())
    path, out = recipe(tmp, "falcon", folder, train_file=train)
    refused("a model of an architecture hft lacks", path, out, [config_path, "model_type", "falcon"])


def prompt_without_completion(tmp, models):
    train = jsonl(os.path.join(tmp, "prompts_only.jsonl"), [{"prompt": r["prompt"]} for r in prompt_rows()])
    path, out = recipe(tmp, "prompts_only", models["plain"], train_file=train)
    refused("a prompt column without completion", path, out, [train, "prompt", "completion"])


def assistant_only_loss(tmp, models):
    """Refused whatever the rows (hft does not read {% generation %} blocks yet); text rows, which
    assistant_only_loss cannot act on even where a template marks the assistant's tokens."""
    train = jsonl(os.path.join(tmp, "assistant_only.jsonl"), [{"text": r["prompt"] + r["completion"]} for r in prompt_rows()])
    path, out = recipe(tmp, "assistant_only", models["chat"], train_file=train, assistant_only_loss=True)
    refused("assistant_only_loss", path, out, ["assistant_only_loss"])


CASES = [unknown_role, template_refuses, completion_longer_than_max_length, architecture_hft_lacks,
         prompt_without_completion, assistant_only_loss]


def tiny_decoders(tmp):
    """sft_fixtures.py's tiny Llama: without a chat template, with the Qwen2.5 one, and with TEMPLATE."""
    qwen = os.path.join(REPO, "tests", "fixtures", "chat_templates", "qwen2.5-instruct.jinja")
    raising = write(os.path.join(tmp, "raising.jinja"), TEMPLATE)
    models = {}
    for name, template in (("plain", None), ("chat", qwen), ("raising", raising)):
        models[name] = os.path.join(tmp, f"llama-{name}")
        run_oracle("sft_fixtures.py", "model", models[name], "llama", "0", *([template] if template else []))
    return models


def main():
    with scratch_dir() as tmp:
        run_cases(CASES, tmp, tiny_decoders(tmp))


if __name__ == "__main__":
    main()
