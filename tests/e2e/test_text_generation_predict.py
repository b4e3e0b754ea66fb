"""hft predict of `task: text-generation` against transformers' own generate: tiny random decoders of
each architecture hft has (Llama, GPT-2, Qwen2, Qwen3 with per-head q/k RMSNorm, Mistral with a
sliding window of 8 tokens, shorter than prompt + 32 new tokens, Llama with Llama 3.1's rope_type
llama3 on an original context of 16 tokens), with the GPT-2 tokenizer, each on a few prompts of
tests/fixtures/sft/, max_new_tokens 32, greedy.

The reference: `model.generate(input_ids, do_sample=False, max_new_tokens=32)` (transformers' KV
cache, eos ids of the folder's generation_config.json), the new tokens decoded with
skip_special_tokens=True; hft's completion must equal that text exactly. Prompts as hft promises to
build them: plain prompts (`text` rows, and `prompt` rows whose completion is left out) tokenized with
the tokenizer's special tokens (one tokenizer here adds a BOS token, so that it shows; one file's texts
are in the column that dataset_text_field names, and refused without it), conversations
(`messages` rows, their trailing assistant message dropped; conversational `prompt` rows) rendered
with the folder's chat template with add_generation_prompt=True and tokenized without special tokens.
The number of tokens transformers generated is printed for each row, and the smallest gap between the
two likeliest logits over all steps (how far the random model is from a tie).

Where the sliding window and the llama3 rope scaling are tested, transformers' generate without them
(no window; default rope) differs on some row: they matter to these prompts. One model's
generation_config.json names as its eos the token transformers generates at step 5 for a prompt, so
that generation genuinely stops there (4 earlier tokens, then the eos), in both.

The sampling case (do_sample true, temperature 0.7, top_k 20, top_p 0.9, a fixed seed) is NOT an
oracle comparison: it checks that hft runs it, that each completion splits into at most 32 tokens of
the vocabulary, that two runs with the same seed write the same completions, and that some row differs
from the greedy one."""
import json
import os
import shutil
import sys

import yaml

from hft_e2e import REPO, check, describe, fail, run_hft
from training_runs import scratch_dir

sys.path.insert(0, os.path.join(REPO, "tests", "oracle"))

SFT_DATA = os.path.join(REPO, "tests", "fixtures", "sft")
QWEN_TEMPLATE = os.path.join(REPO, "tests", "fixtures", "chat_templates", "qwen2.5-instruct.jinja")
MAX_NEW_TOKENS = 32
SAMPLING = dict(do_sample=True, temperature=0.7, top_k=20, top_p=0.9, seed=11)
# The step (0-based) whose token becomes the eos of the stopping case: generation stops after 5 tokens.
EOS_STEP = 4


# --- models -------------------------------------------------------------------------------------------

def decoder_case_model(folder, case, seed, chat_template=None, **config_keys):
    """decoder_fixtures.py's case `case` (its config keys, and `config_keys` on top) at
    sft_fixtures.py's sizes: 2 layers, 32 wide, GPT-2's vocabulary, 256 positions, <|endoftext|> as
    bos and eos; transformers' own initialization from `seed`, then the query and key projections
    scaled by 10 (and Qwen3's q/k norm weights drawn from 1 to 4), so that attention is sharp and
    where a token sits (rope, the window) shows in what is generated (at the initial scale attention
    is nearly uniform); the GPT-2 tokenizer as
    transformers loads it for the model and saves it again (sft_fixtures.make_tiny_decoder's way)."""
    import torch
    from decoder_fixtures import CASES, SMALL
    from sft_fixtures import END_OF_TEXT_ID, GPT2_VOCAB, make_tokenizer_dir
    from transformers import AutoTokenizer

    config_class, model_class, extra = CASES[case]
    sizes = dict(SMALL, vocab_size=GPT2_VOCAB, intermediate_size=64, max_position_embeddings=256,
                 bos_token_id=END_OF_TEXT_ID, eos_token_id=END_OF_TEXT_ID, pad_token_id=None)
    torch.manual_seed(seed)
    model = model_class(config_class(**sizes, **dict(extra, **config_keys)))
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith(("q_proj.weight", "k_proj.weight")):
                parameter.mul_(10.0)
            elif name.endswith(("q_norm.weight", "k_norm.weight")):  # Qwen3's: ones would hide a lost weight
                parameter.uniform_(1.0, 4.0)
    model.save_pretrained(folder)
    make_tokenizer_dir(folder, chat_template)
    AutoTokenizer.from_pretrained(folder).save_pretrained(folder)
    return folder


def sft_model(folder, architecture, seed, chat_template=None):
    """sft_fixtures.py's tiny llama, gpt2 or qwen2 (GPT-2 with dropout 0.1, which generation leaves out)."""
    from sft_fixtures import make_tiny_decoder
    return make_tiny_decoder(folder, architecture, seed, chat_template)


def add_bos_token(folder):
    """The folder's tokenizer.json with a post-processor that puts <|endoftext|> before each text, as
    Llama's tokenizers put their BOS token: plain prompts (special tokens added) start with it,
    rendered conversations (none added) do not."""
    path = os.path.join(folder, "tokenizer.json")
    with open(path) as f:
        tokenizer = json.load(f)
    bos = {"SpecialToken": {"id": "<|endoftext|>", "type_id": 0}}
    template = {"type": "TemplateProcessing", "single": [bos, {"Sequence": {"id": "A", "type_id": 0}}],
                "pair": [bos, {"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}],
                "special_tokens": {"<|endoftext|>": {"id": "<|endoftext|>", "ids": [50256], "tokens": ["<|endoftext|>"]}}}
    processors = [tokenizer["post_processor"]] if tokenizer.get("post_processor") else []
    tokenizer["post_processor"] = {"type": "Sequence", "processors": processors + [template]}
    with open(path, "w") as f:
        json.dump(tokenizer, f)
    return folder


def with_eos(source, folder, eos_id):
    """A copy of the model folder whose generation_config.json names `eos_id` as its eos."""
    shutil.copytree(source, folder)
    path = os.path.join(folder, "generation_config.json")
    with open(path) as f:
        generation = json.load(f)
    generation["eos_token_id"] = eos_id
    with open(path, "w") as f:
        json.dump(generation, f, indent=2)
    return folder


# --- rows ---------------------------------------------------------------------------------------------

def fixture_rows(name, first, count):
    with open(os.path.join(SFT_DATA, name)) as f:
        return [json.loads(line) for line in f][first:first + count]


def prompt_rows():
    """4 prompt/completion rows (the completions are not read by predict); one ends in a space."""
    return fixture_rows("prompt_completion.jsonl", 8, 4)


def text_rows(field):
    """4 text rows (the review and "Sentiment:") in column `field`; predict reads the whole text as the
    prompt."""
    return [{field: row["text"].split("\nSentiment:")[0] + "\nSentiment:"} for row in fixture_rows("text_dev.jsonl", 0, 4)]


def messages_rows():
    """Conversations ending in an assistant message (dropped for the prompt), with and without a
    system message, one with a follow-up turn, and one ending in the user's follow-up question."""
    rows = fixture_rows("messages_dev.jsonl", 0, 3)
    follow_up = [m for m in rows[2]["messages"]][:-1]
    check(follow_up[-1]["role"] == "user", f"messages_dev.jsonl row 3: expected a follow-up turn, got {rows[2]}")
    return rows + [{"messages": follow_up}]


def conversational_prompt_rows():
    """prompt/completion rows whose prompt is a list of messages (conversational prompt/completion)."""
    rows = fixture_rows("messages_dev.jsonl", 4, 3)
    return [{"prompt": row["messages"][:-1], "completion": row["messages"][-1:]} for row in rows]


def write_jsonl(path, rows):
    with open(path, "w") as f:
        f.writelines(json.dumps(row) + "\n" for row in rows)
    return path


# --- the reference ------------------------------------------------------------------------------------

def plain_prompt(row):
    """A plain row's prompt: its `prompt`, else its one column (the text)."""
    return row["prompt"] if "prompt" in row else next(iter(row.values()))


def prompt_ids(tokenizer, row):
    """The prompt's token ids as hft builds them (see the module docstring)."""
    if "messages" in row or isinstance(row.get("prompt"), list):
        messages = row["messages"] if "messages" in row else row["prompt"]
        if "messages" in row and len(messages) > 1 and messages[-1]["role"] == "assistant":
            messages = messages[:-1]
        text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        return tokenizer(text, add_special_tokens=False).input_ids
    return tokenizer(plain_prompt(row), add_special_tokens=True).input_ids


def reference(model_dir, rows, **config_keys):
    """transformers' greedy generation of each row: [(completion text, new token ids, smallest top-2
    logit gap)], and the prompts' ids. `config_keys` change the model's config before it loads (the
    ablations)."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    config = AutoConfig.from_pretrained(model_dir, **config_keys)
    model = AutoModelForCausalLM.from_pretrained(model_dir, config=config).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    out, prompts = [], []
    for row in rows:
        ids = torch.tensor([prompt_ids(tokenizer, row)])
        with torch.no_grad():
            generated = model.generate(ids, attention_mask=torch.ones_like(ids), do_sample=False,
                                       max_new_tokens=MAX_NEW_TOKENS, output_logits=True, return_dict_in_generate=True)
        new = generated.sequences[0, ids.shape[1]:].tolist()
        top2 = [logits[0].float().topk(2).values for logits in generated.logits]
        gap = min((values[0] - values[1]).item() for values in top2)
        out.append((tokenizer.decode(new, skip_special_tokens=True), new, gap))
        prompts.append(ids[0].tolist())
    return out, prompts


# --- hft ----------------------------------------------------------------------------------------------

def predict_recipe(tmp, name, model_dir, rows, **keys):
    """A recipe predicting `rows` (written as name.jsonl, the recipe's test_file) with `keys`; returns
    (its path, the output file it is run with)."""
    test_file = write_jsonl(os.path.join(tmp, f"{name}.jsonl"), rows)
    recipe = dict(task="text-generation", model_name_or_path=model_dir, test_file=test_file,
                  output_dir=os.path.join(tmp, f"{name}-out"), max_new_tokens=MAX_NEW_TOKENS, seed=7,
                  use_cpu=True, report_to="none")
    recipe.update(keys)
    recipe_path = os.path.join(tmp, f"{name}.yaml")
    with open(recipe_path, "w") as f:
        yaml.safe_dump(recipe, f, sort_keys=False)
    return recipe_path, os.path.join(tmp, f"{name}-predictions.jsonl")


def hft_predict(tmp, name, model_dir, rows, **keys):
    """hft predict of `rows` with recipe `keys`; returns the output lines, as parsed JSON."""
    recipe_path, output = predict_recipe(tmp, name, model_dir, rows, **keys)
    done = run_hft("predict", recipe_path, "--output", output, timeout=300)
    check(done.returncode == 0, f"{name}: hft predict\n{describe(done)}")
    with open(output) as f:
        lines = [json.loads(line) for line in f]
    check(len(lines) == len(rows), f"{name}: {len(lines)} lines for {len(rows)} rows")
    for row, line in zip(rows, lines):
        expected_prompt = row["messages"] if "messages" in row else plain_prompt(row)
        check(list(line) == ["prompt", "completion"], f"{name}: expected keys prompt and completion: {line}")
        check(line["prompt"] == expected_prompt, f"{name}: prompt {line['prompt']!r}, expected {expected_prompt!r}")
    return lines


def compare_greedy(name, lines, expected):
    """hft's completions equal transformers' text; returns the token counts and the smallest gap."""
    for number, (line, (text, new, gap)) in enumerate(zip(lines, expected), start=1):
        if line["completion"] != text:
            fail(f"{name}, row {number}: hft wrote {line['completion']!r}\ntransformers generated {len(new)} tokens "
                 f"{new}: {text!r}\n(smallest top-2 logit gap of this row: {gap:.2e})")
    return [len(new) for _, new, _ in expected], min(gap for _, _, gap in expected)


def greedy_case(tmp, name, model_dir, rows, ablation=None, **keys):
    """hft predict (recipe `keys` on top) and transformers' generate on `rows`; with `ablation`,
    config keys without which transformers must generate otherwise for some row."""
    lines = hft_predict(tmp, "".join(c if c.isalnum() else "-" for c in name.lower()), model_dir, rows, **keys)
    expected, prompts = reference(model_dir, rows)
    counts, gap = compare_greedy(name, lines, expected)
    print(f"{name}: {len(rows)} completions equal to transformers' generate ({', '.join(map(str, counts))} tokens; "
          f"prompts of {', '.join(str(len(p)) for p in prompts)} tokens; smallest top-2 logit gap {gap:.1e})")
    if ablation:
        without, _ = reference(model_dir, rows, **ablation)
        changed = sum(a[1] != b[1] for a, b in zip(expected, without))
        check(changed > 0, f"{name}: transformers generates the same without {ablation}: the case does not test it")
        print(f"  without {ablation}: {changed} of {len(rows)} rows generate otherwise")
    return lines, expected, prompts


# --- sampling -----------------------------------------------------------------------------------------

def fewest_tokens(text, pieces, longest):
    """The fewest vocabulary pieces (decoded tokens) `text` splits into; None when it does not."""
    best = [0] + [None] * len(text)
    for end in range(1, len(text) + 1):
        for start in range(max(0, end - longest), end):
            if best[start] is not None and text[start:end] in pieces:
                count = best[start] + 1
                if best[end] is None or count < best[end]:
                    best[end] = count
    return best[-1]


def sampling_case(tmp, model_dir, rows, greedy_lines):
    """Not an oracle comparison: runs, at most 32 tokens a row, reproducible, not the greedy text."""
    from transformers import AutoTokenizer

    first = hft_predict(tmp, "sampling", model_dir, rows, **SAMPLING)
    second = hft_predict(tmp, "sampling-again", model_dir, rows, **SAMPLING)
    check([l["completion"] for l in first] == [l["completion"] for l in second],
          f"sampling with seed {SAMPLING['seed']}: two runs differ:\n{first}\n{second}")
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    pieces = {tokenizer.decode([i]) for i in range(len(tokenizer))}
    longest = max(map(len, pieces))
    counts = []
    for number, line in enumerate(first, start=1):
        count = fewest_tokens(line["completion"], pieces, longest)
        check(count is not None and count <= MAX_NEW_TOKENS,
              f"sampling, row {number}: {line['completion']!r} does not split into {MAX_NEW_TOKENS} tokens or fewer "
              f"(fewest: {count})")
        counts.append(count)
    differing = sum(a["completion"] != b["completion"] for a, b in zip(first, greedy_lines))
    check(differing > 0, f"sampling: every completion equals the greedy one: {first}")
    print(f"sampling ({', '.join(f'{k} {v}' for k, v in SAMPLING.items())}; not an oracle comparison): two runs "
          f"equal, each row at most {MAX_NEW_TOKENS} tokens (at least {', '.join(map(str, counts))}), "
          f"{differing} of {len(rows)} rows differ from greedy")


# --- stopping at eos ----------------------------------------------------------------------------------

def eos_case(tmp, model_dir, rows, greedy):
    """The token transformers generated at step EOS_STEP + 1 for the first row whose token there is
    new (not among its earlier ones) becomes the eos: that row stops after EOS_STEP + 1 tokens."""
    for row_number, (_, new, _) in enumerate(greedy):
        if len(new) > EOS_STEP and new[EOS_STEP] not in new[:EOS_STEP]:
            break
    else:
        fail(f"no row generates a new token at step {EOS_STEP + 1}: {[new for _, new, _ in greedy]}")
    eos_id = new[EOS_STEP]
    folder = with_eos(model_dir, os.path.join(tmp, "llama-eos"), eos_id)
    lines = hft_predict(tmp, "eos", folder, rows)
    expected, _ = reference(folder, rows)
    counts, _ = compare_greedy("stopping at eos", lines, expected)
    check(counts[row_number] == EOS_STEP + 1 and expected[row_number][1][-1] == eos_id,
          f"stopping at eos {eos_id}: transformers generated {expected[row_number][1]} for row {row_number + 1}")
    check(lines[row_number]["completion"] != greedy[row_number][0],
          f"stopping at eos {eos_id}: row {row_number + 1} is the same as without that eos")
    print(f"stopping at eos {eos_id} (generation_config.json): row {row_number + 1} stops after {EOS_STEP + 1} tokens "
          f"in both, completion {lines[row_number]['completion']!r}; all rows equal ({', '.join(map(str, counts))} tokens)")


def text_field_needed(tmp, model_dir):
    """Without dataset_text_field the rows of column `review` are refused (the default field is text)."""
    recipe_path, output = predict_recipe(tmp, "no-text-field", model_dir, text_rows("review"))
    done = run_hft("predict", recipe_path, "--output", output, timeout=300)
    check(done.returncode == 2 and "review" in done.stderr and "dataset_text_field" in done.stderr,
          f"rows of column review without dataset_text_field: expected a refusal naming both\n{describe(done)}")
    print(f"  without dataset_text_field: {done.stderr.strip()}")


def main():
    with scratch_dir() as tmp:
        def at(name):
            return os.path.join(tmp, name)

        llama = add_bos_token(sft_model(at("llama"), "llama", 0, QWEN_TEMPLATE))
        lines, greedy, prompts = greedy_case(tmp, "Llama, plain prompts (BOS added)", llama, prompt_rows())
        check(all(p[0] == 50256 for p in prompts), f"the BOS-adding tokenizer left out its BOS: {prompts}")
        _, _, chat_prompts = greedy_case(tmp, "Llama, messages rows in the Qwen2.5 template (no BOS added)", llama,
                                         messages_rows())
        check(all(p[0] != 50256 for p in chat_prompts), f"a rendered conversation got the BOS token: {chat_prompts}")
        eos_case(tmp, llama, prompt_rows(), greedy)
        sampling_case(tmp, llama, prompt_rows(), lines)

        # The texts in a column `review`, which dataset_text_field names (predict reads the test file by it).
        gpt2 = sft_model(at("gpt2"), "gpt2", 1)
        greedy_case(tmp, "GPT-2, text rows in column review (dataset_text_field)", gpt2, text_rows("review"),
                    dataset_text_field="review")
        text_field_needed(tmp, gpt2)
        qwen2 = sft_model(at("qwen2"), "qwen2", 2, QWEN_TEMPLATE)
        greedy_case(tmp, "Qwen2, messages rows in the Qwen2.5 template", qwen2, messages_rows())
        greedy_case(tmp, "Qwen2 conversational prompt rows", qwen2, conversational_prompt_rows())
        greedy_case(tmp, "Qwen3 with q/k norm, plain prompts", decoder_case_model(at("qwen3"), "qwen3_tied", 3),
                    prompt_rows())
        greedy_case(tmp, "Mistral with a sliding window of 8, plain prompts",
                    decoder_case_model(at("mistral"), "mistral_window", 4, sliding_window=8), prompt_rows(),
                    ablation=dict(sliding_window=None))
        greedy_case(tmp, "Llama with rope_type llama3 (original context 16), plain prompts",
                    decoder_case_model(at("llama3"), "llama3_rope", 5), prompt_rows(),
                    ablation=dict(rope_parameters=dict(rope_type="default", rope_theta=10000.0)))


if __name__ == "__main__":
    main()
