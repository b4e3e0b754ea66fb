"""Hand-written hard inputs for the tokenizer oracle test (tokenize_oracle_test.py).

Each is a TSV row "text<TAB>pair"; tabs and newlines cannot be inside a field, every other
character can. Written to a temporary file by the test, never stored as data.
"""

# Compatibility characters with marks after them. tokenizers' Precompiled normalizer (what
# transformers converts a SentencePiece model's rules to) replaces a grapheme under 6 bytes whole
# when the charsmap has a prefix of it ("ﬁ" + U+0301 -> "fi", the mark dropped); the sentencepiece
# library keeps the mark.
COMPATIBILITY_WITH_MARKS = "ﬁ\u0301x ﬁ\u0301\u0301\u0301 ①\u20dd ｶ\uff9e"

HARD_STRINGS = [
    "",                                            # empty text
    "   ",                                         # only spaces
    "\u3000\u00a0\u2028\u2009",                    # only Unicode whitespace
    "cafe\u0301 re\u0301sume\u0301 nai\u0308ve",   # combining marks after the letter
    "Ǆemal ﬁnance ½ ™ Å",                          # compatibility characters
    COMPATIBILITY_WITH_MARKS,
    "\u0130stanbul ΟΔΟΣ straße İİ",                # special casing
    "你好，世界！日本語のテキスト。한국어 텍스트",     # CJK, kana, hangul
    "👍🏽 👨‍👩‍👧 🇫🇷 ❤️ 🥰",                          # emoji, ZWJ sequences, flags
    "zero\u200bwidth\u200djoin\ufeffbom\u2060wj",  # zero-width and format characters
    "ctrl\x01\x02\x7f\u0085\u009fchars",           # control characters
    "private\ue000use \u0378unassigned \uffff",    # private use, unassigned, noncharacter
    "\ufffdreplacement\ufffd",                     # U+FFFD
    "a" * 99 + " " + "b" * 100 + " " + "c" * 101,  # around the 100-character word limit
    "x" * 5000,                                    # one very long word
    "مرحبا بالعالم שלום עולם",                      # right-to-left scripts
    "नमस्ते दुनिया สวัสดีชาวโลก",                  # Devanagari, Thai
    "１２３ ＡＢＣ fullwidth",                      # fullwidth forms
    "[CLS] [SEP][MASK] x[PAD]y [cls] <|endoftext|>",  # special tokens written in the text
    "don't I'll we've they're it's 'quoted' \"double\"",
    "3.14159 1,000,000 2024-05-15 $12.50 50% #tag @user",
    "a\u00adb soft\u00adhyphen",                   # soft hyphen (Cf)
    "!!!???...,,,;;;:::---___***",                 # punctuation runs
    "word " * 200000,                              # a 1 MB line
]


def write_hard_strings(path):
    """Rows: sentence, and as the pair the next string (so pairs mix every kind)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("sentence\tpair\n")
        n = len(HARD_STRINGS)
        for i, text in enumerate(HARD_STRINGS):
            f.write(f"{text}\t{HARD_STRINGS[(i + 1) % n]}\n")
    return n
