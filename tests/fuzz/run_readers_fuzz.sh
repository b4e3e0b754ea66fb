#!/bin/sh
# Builds tests/fuzz/readers_fuzz.cpp with clang's libFuzzer (+ AddressSanitizer, UBSan) and runs
# it for a bounded time. Usage: run_readers_fuzz.sh CLANGXX SOURCE_DIR WORK_DIR SECONDS
set -eu
CXX=$1 SRC=$2 WORK=$3 SECONDS_LIMIT=$4
mkdir -p "$WORK/corpus"
BIN="$WORK/readers_fuzz"
SOURCES="$SRC/tests/fuzz/readers_fuzz.cpp $SRC/lib/hft/data/delimited_reader.cpp $SRC/lib/hft/data/json_reader.cpp
         $SRC/lib/hft/data/table.cpp $SRC/lib/hft/data/utf8_check.cpp"
stale=0
for f in $SOURCES $SRC/lib/hft/data/*.h; do [ ! -e "$BIN" ] || [ "$f" -nt "$BIN" ] && stale=1; done
if [ $stale -eq 1 ]; then
  "$CXX" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -I"$SRC/lib" $SOURCES -o "$BIN"
fi
# Seeds: a csv, tsv, jsonl and json file (first byte picks the format).
printf '\000text,label\n"a, ""b""\nc",1\n' > "$WORK/corpus/seed-csv"
printf '\001sentence\tlabel\nit "s\t1\n' > "$WORK/corpus/seed-tsv"
printf '\002{"t": "a", "l": 1}\n{"t": null}\n' > "$WORK/corpus/seed-jsonl"
printf '\003{"data": [{"t": "x"}]}' > "$WORK/corpus/seed-json"
exec "$BIN" -max_total_time="$SECONDS_LIMIT" -max_len=512 -rss_limit_mb=1024 -print_final_stats=1 "$WORK/corpus"
