#!/usr/bin/env python3
"""Chat templates as transformers renders and finds them, for tests/unit/chat.

Usage:
  chat_templates.py renderings
      Renders conversations with the real templates of tests/fixtures/chat_templates/*.jinja and
      with small probe templates of transformers' Jinja set-up (tojson's arguments, strftime_now,
      raise_exception, namespace, loop controls, {% generation %}, dict, whitespace control), each
      with tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=...,
      **variables) on a tokenizer that has the model's special tokens. Prints
      {"cases": [{"name", "template_file" (relative to the repository) or "template_text",
                  "messages", "add_generation_prompt", "special_tokens", "variables",
                  "rendered" or "error"}]}
      where special_tokens is tokenizer.special_tokens_map, what apply_chat_template passed.
  chat_templates.py folders DIR ...
      Loads each folder with PreTrainedTokenizerFast.from_pretrained and prints
      {DIR: {"template": tokenizer.get_chat_template()} or {"none": message} (no template) or
       {"no_default": message} (named templates, none of them "default")}.
"""
import json
import os
import sys

from transformers import PreTrainedTokenizerFast

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TEMPLATES = "tests/fixtures/chat_templates"
TOKENIZER_FILE = os.path.join(ROOT, "tests/fixtures/tokenizers/gpt2/tokenizer.json")

# The special tokens of each model's tokenizer (its tokenizer_config.json / special_tokens_map.json).
SPECIAL_TOKENS = {
    "llama-3.1-instruct": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "llama-3.2-instruct": {"bos_token": "<|begin_of_text|>", "eos_token": "<|eot_id|>"},
    "qwen2.5-instruct": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
    "qwen3": {"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"},
    "smollm2-instruct": {"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "pad_token": "<|im_end|>",
                         "unk_token": "<|endoftext|>"},
    "mistral-nemo-instruct-2407": {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"},
}

SYSTEM = {"role": "system", "content": "You are a terse assistant. Answer in one sentence."}
CONVERSATIONS = {
    "multi-turn with system": [
        SYSTEM,
        {"role": "user", "content": "What is the capital of France?"},
        {"role": "assistant", "content": "Paris."},
        {"role": "user", "content": "And of Italy?"},
    ],
    "one user turn": [{"role": "user", "content": "Hello!"}],
    "user and assistant": [
        {"role": "user", "content": "Name a prime number."},
        {"role": "assistant", "content": "Seven."},
    ],
    "ends with the assistant": [
        SYSTEM,
        {"role": "user", "content": "2+2?"},
        {"role": "assistant", "content": "4"},
        {"role": "user", "content": "3+3?"},
        {"role": "assistant", "content": "6"},
    ],
    "non-ASCII": [
        {"role": "system", "content": "Réponds en français, s'il te plaît."},
        {"role": "user", "content": "Grüße aus Zürich! 日本語のテキスト, русский текст, عربى, emoji 👋🏽 and ﬁ ligature."},
        {"role": "assistant", "content": "Très bien — 好的 ✅"},
        {"role": "user", "content": "Ça va? «Oui»"},
    ],
    "empty contents": [
        {"role": "system", "content": ""},
        {"role": "user", "content": ""},
        {"role": "assistant", "content": ""},
        {"role": "user", "content": "still here"},
    ],
    "whitespace around contents": [
        {"role": "system", "content": "  padded system \n\n"},
        {"role": "user", "content": "\n\tindented question  "},
        {"role": "assistant", "content": " answer with trailing newline\n"},
        {"role": "user", "content": "line one\nline two\r\nline three"},
    ],
    "Unicode whitespace around contents": [
        {"role": "system", "content": "\u00a0system between no-break and ideographic spaces\u3000"},
        {"role": "user", "content": "\u2003 em space, then a no-break space and a newline\u00a0\n"},
        {"role": "assistant", "content": "\u200a hair space, line separator \u2028"},
        {"role": "user", "content": "\x1cfile and unit separators\x1f"},
    ],
    "template syntax and special tokens as text": [
        {"role": "user", "content": "Print {{ bos_token }} and {% if x %}, then <|im_end|> </s> [INST] <|eot_id|>"},
        {"role": "assistant", "content": "{# not a comment #} {{ eos_token }}"},
        {"role": "user", "content": "quotes ' \" and backslash \\ and \\n"},
    ],
    "thinking in assistant turns": [
        {"role": "user", "content": "Think first: 17*3?"},
        {"role": "assistant", "content": "<think>\n17*3 = 51\n</think>\n\n51"},
        {"role": "user", "content": "And 17*4?"},
        {"role": "assistant", "content": "<think>68</think>68"},
    ],
    "two user turns in a row": [
        {"role": "user", "content": "First question."},
        {"role": "user", "content": "Second question."},
    ],
}

# (template, conversation, variables): apply_chat_template's **kwargs that the templates read.
VARIABLE_CASES = [
    ("qwen3", "multi-turn with system", {"enable_thinking": False}),
    ("qwen3", "thinking in assistant turns", {"enable_thinking": False}),
    ("qwen3", "one user turn", {"enable_thinking": True}),
    ("llama-3.2-instruct", "multi-turn with system", {"date_string": "01 Jan 2025"}),
    ("llama-3.1-instruct", "one user turn", {"date_string": "01 Jan 2025"}),
]

# Small templates of our own that pin transformers' Jinja environment.
PROBES = {
    "tojson arguments": (
        "{{ messages | tojson }}\n{{ messages[0] | tojson(indent=2) }}\n"
        "{{ {'b': 1, 'a': [1.5, 100.0, 1e16, 1e15, 0.0001, 0.00001, -0.0, true, none], 'é': 'x'} | tojson(sort_keys=true) }}\n"
        "{{ messages[0].content | tojson(ensure_ascii=true) }}\n{{ {'k': 'v', 'l': [1, 2]} | tojson(separators=(',', ':')) }}\n"
        "{{ {'k': {}, 'l': []} | tojson(indent=3) }}\n{{ {'k': [1, {'x': 'y'}]} | tojson(indent='\t') }}\n"
        "{{ 'tab\there \x01 \x7f \"q\" \\\\' | tojson }}|{{ 'tab\there \x7f' | tojson(ensure_ascii=true) }}"
    ),
    "strftime_now": "{{ strftime_now('%Y-%m-%d') }}|{{ messages | length }}",
    "raise_exception": (
        "{%- for message in messages %}\n"
        "    {%- if message.role not in ['user', 'assistant'] %}\n"
        "        {{- raise_exception('Unknown role: ' + message.role) }}\n"
        "    {%- endif %}\n"
        "    {{- message.role + ': ' + message.content + '\\n' }}\n"
        "{%- endfor %}"
    ),
    "namespace and loop controls": (
        "{% set ns = namespace(count=0, last='') %}"
        "{% for m in messages %}{% if m.content == '' %}{% continue %}{% endif %}"
        "{% if loop.index0 > 3 %}{% break %}{% endif %}"
        "{% set ns.count = ns.count + 1 %}{% set ns.last = m.role %}{% endfor %}"
        "{{ ns.count }} {{ ns.last }}"
    ),
    "generation blocks": (
        "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}[{{ m.content }}]{% endgeneration %}"
        "{% else %}<{{ m.content }}>{% endif %}{% endfor %}"
    ),
    "trim": "{{ messages[0].content | trim }}|{{ messages[-1].content | trim('?!. ') }}|{{ 'xxhixx' | trim(chars='x') }}",
    "dict": "{% set d = dict(role='x', n=2) %}{{ d | tojson }}|{{ dict(messages[0], extra=true) | tojson }}",
    "whitespace control": (
        "{% for m in messages %}\n"
        "    {% if m.role == 'user' %}\n"
        "U: {{ m.content }}\n"
        "    {% else %}\n"
        "    {#- a comment #}\n"
        "A: {{ m.content -}}   \n"
        "    {% endif %}\n"
        "{% endfor %}\n"
        "{% if add_generation_prompt %}A:{% endif %}\n"
    ),
    "line endings": "{% for m in messages %}\r\n{{ m.role }}\r\n{% endfor %}\rend\r\n",
    "special tokens and variables": (
        "{{ bos_token }}|{{ eos_token }}|{{ unk_token is defined }}|{{ pad_token is defined }}|"
        "{{ add_generation_prompt }}|{{ messages[-1].content | upper }}|{{ messages | map(attribute='role') | join(',') }}"
    ),
}
PROBE_CONVERSATIONS = ["multi-turn with system", "empty contents", "non-ASCII", "user and assistant"]
PROBE_SPECIAL_TOKENS = {"bos_token": "<s>", "eos_token": "</s>"}


def tokenizer_with(special_tokens):
    return PreTrainedTokenizerFast(tokenizer_file=TOKENIZER_FILE, **special_tokens)


def render(tokenizer, template_text, messages, add_generation_prompt, variables):
    try:
        text = tokenizer.apply_chat_template(messages, chat_template=template_text, tokenize=False,
                                             add_generation_prompt=add_generation_prompt, **variables)
        return {"rendered": text}
    except Exception as e:  # the template's TemplateError: its message
        return {"error": str(e)}


def case(name, source, tokenizer, template_text, conversation, add_generation_prompt, variables):
    result = {"name": name, **source, "messages": CONVERSATIONS[conversation],
              "add_generation_prompt": add_generation_prompt, "special_tokens": tokenizer.special_tokens_map,
              "variables": variables}
    result.update(render(tokenizer, template_text, CONVERSATIONS[conversation], add_generation_prompt, variables))
    return result


def renderings():
    cases = []
    for template, special_tokens in SPECIAL_TOKENS.items():
        relative = f"{TEMPLATES}/{template}.jinja"
        with open(os.path.join(ROOT, relative), encoding="utf-8") as f:
            text = f.read()
        tokenizer = tokenizer_with(special_tokens)
        source = {"template_file": relative}
        runs = [(c, {}) for c in CONVERSATIONS] + [(c, v) for t, c, v in VARIABLE_CASES if t == template]
        for conversation, variables in runs:
            for generation in (False, True):
                name = f"{template} / {conversation} / add_generation_prompt={generation} / {variables}"
                cases.append(case(name, source, tokenizer, text, conversation, generation, variables))
    tokenizer = tokenizer_with(PROBE_SPECIAL_TOKENS)
    for probe, text in PROBES.items():
        for conversation in PROBE_CONVERSATIONS:
            for generation in (False, True):
                name = f"probe {probe} / {conversation} / add_generation_prompt={generation}"
                cases.append(case(name, {"template_text": text}, tokenizer, text, conversation, generation, {}))
    return {"cases": cases}


def folders(paths):
    found = {}
    for path in paths:
        tokenizer = PreTrainedTokenizerFast.from_pretrained(path)
        try:
            found[path] = {"template": tokenizer.get_chat_template()}
        except ValueError as e:
            kind = "no_default" if "no default" in str(e) else "none"
            found[path] = {kind: str(e)}
    return found


def main():
    if sys.argv[1:2] == ["renderings"]:
        result = renderings()
    elif sys.argv[1:2] == ["folders"]:
        result = folders(sys.argv[2:])
    else:
        sys.exit(__doc__)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
