#!/bin/sh
# Builds tests/fuzz/tokenizer_fuzz.cpp with clang's libFuzzer (+ AddressSanitizer, UBSan) over the
# sources of lib/hft/tokenize and runs it for a bounded time from small tokenizer.json seeds
# (WordPiece, BPE, Unigram + Metaspace). Usage: run_tokenizer_fuzz.sh CLANGXX SOURCE_DIR WORK_DIR SECONDS
set -eu
CXX=$1 SRC=$2 WORK=$3 SECONDS_LIMIT=$4
mkdir -p "$WORK/tokenizer_corpus" "$WORK/tokenizer_objects"
BIN="$WORK/tokenizer_fuzz"
FLAGS="-std=c++20 -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -I$SRC/lib"
# One object per source, rebuilt when its source or any tokenize header is newer; two at a time.
for f in "$SRC"/lib/hft/tokenize/*.cpp "$SRC"/tests/fuzz/tokenizer_fuzz.cpp; do
  obj="$WORK/tokenizer_objects/$(basename "$f" .cpp).o"
  stale=0
  [ -e "$obj" ] && [ ! "$f" -nt "$obj" ] || stale=1
  for h in "$SRC"/lib/hft/tokenize/*.h; do [ -e "$obj" ] && [ "$h" -nt "$obj" ] && stale=1; done
  [ $stale -eq 1 ] && echo "$f $obj"
done | xargs -r -n 2 -P 2 sh -c "$CXX $FLAGS \$(pkg-config --cflags libutf8proc libpcre2-8 sentencepiece) -c \$0 -o \$1"
"$CXX" -fsanitize=fuzzer,address,undefined "$WORK"/tokenizer_objects/*.o \
  $(pkg-config --libs libutf8proc libpcre2-8 sentencepiece libcrypto) -lpthread -o "$BIN"

# Seeds: tokenizer.json NUL text.
C="$WORK/tokenizer_corpus"
printf '%s\000%s' '{"normalizer":{"type":"BertNormalizer","lowercase":true},"pre_tokenizer":{"type":"BertPreTokenizer"},"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"[CLS]":1,"[SEP]":2,"a":3,"##b":4,"b":5}},"post_processor":{"type":"BertProcessing","sep":["[SEP]",2],"cls":["[CLS]",1]},"added_tokens":[{"id":1,"content":"[CLS]","special":true}]}' 'Ab b! [CLS] ab' > "$C/seed-wordpiece"
printf '%s\000%s' '{"pre_tokenizer":{"type":"ByteLevel","add_prefix_space":false},"model":{"type":"BPE","vocab":{"a":0,"b":1,"ab":2,"\u0120":3},"merges":["a b"]},"post_processor":{"type":"ByteLevel","trim_offsets":true}}' 'ab ba é' > "$C/seed-bpe"
printf '%s\000%s' '{"normalizer":{"type":"Sequence","normalizers":[{"type":"NFKC"},{"type":"Replace","pattern":{"String":"``"},"content":"\""}]},"pre_tokenizer":{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},{"type":"Metaspace","replacement":"\u2581","prepend_scheme":"first","split":true}]},"model":{"type":"Unigram","unk_id":0,"byte_fallback":true,"vocab":[["<unk>",0],["\u2581a",-1],["b",-2],["<0xC3>",-5]]},"post_processor":{"type":"TemplateProcessing","single":[{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"<unk>","type_id":0}}],"pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],"special_tokens":{"<unk>":{"id":"<unk>","ids":[0],"tokens":["<unk>"]}}}}' 'a b ``ab`` ﬁ' > "$C/seed-unigram"
printf '%s\000%s' '{"normalizer":{"type":"Sequence","normalizers":[{"type":"Precompiled","precompiled_charsmap":"CAAAAAAAAAAAAAAAYWIAYwA="},{"type":"Precompiled","precompiled_charsmap":null}]},"model":{"type":"WordPiece","unk_token":"[UNK]","vocab":{"[UNK]":0,"a":1}}}' 'a ﬁ́ b' > "$C/seed-precompiled"
exec "$BIN" -max_total_time="$SECONDS_LIMIT" -max_len=2048 -rss_limit_mb=2048 -print_final_stats=1 "$C"
