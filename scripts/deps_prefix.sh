#!/usr/bin/env bash
# hft's C++ dependencies as a folder, for building where apt is not (a cluster without root, a
# GPU machine without package access). Two steps, neither needs root:
#
#   bash scripts/deps_prefix.sh fetch DIR          # on a Debian 12 machine with apt and a network:
#                                                  # the .deb files of third_party/debian-packages.txt
#   bash scripts/deps_prefix.sh unpack DIR PREFIX  # anywhere (dpkg-deb only): PREFIX/usr/{include,lib/...}
#   bash scripts/deps_prefix.sh check              # the list's runtime libraries against apt's Depends
#
# Then: cmake -S . -B build -DHFT_DEPS_PREFIX=PREFIX -DTorch_DIR=... (third_party/dependencies.cmake).
# fetch keeps apt's package lists and cache in a temporary folder of its own, so it runs as any user.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
LIST=$PWD/third_party/debian-packages.txt

die() { echo "deps_prefix: $1" >&2; exit "${2:-2}"; }
packages() {  # every package of the list, or only the unmarked ones with "dev"
  sed 's/#.*//' "$LIST" | awk -v only="${1:-}" 'NF && $2 != "unneeded" && (only != "dev" || $2 != "prefix") { print $1 }'
}

apt_private() {  # apt-get with its state and cache under $1 (no root: nothing under /var is written)
  local dir=$1; shift
  apt-get -q -o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir/cache" \
    -o Dir::State::Status=/var/lib/dpkg/status -o Debug::NoLocking=1 "$@"
}

fetch() {
  local dir=$1
  command -v apt-get >/dev/null || die "fetch needs apt-get (a Debian 12 machine); got none on PATH"
  mkdir -p "$dir" || die "cannot create $dir; expected a writable DIR" 1
  dir=$(cd "$dir" && pwd)
  APT_STATE=$(mktemp -d) && mkdir -p "$APT_STATE/lists/partial" "$APT_STATE/cache/archives/partial" \
    || die "cannot create a temporary folder" 1
  trap 'rm -rf "$APT_STATE"' EXIT
  local apt=$APT_STATE
  apt_private "$apt" update >"$apt/update.log" 2>&1 \
    || die "apt-get update failed: $(tail -n 1 "$apt/update.log"); expected a reachable Debian 12 mirror" 1
  # shellcheck disable=SC2046
  (cd "$dir" && apt_private "$apt" download $(packages)) >"$apt/download.log" 2>&1 \
    || die "apt-get download failed: $(grep -m1 '^E:' "$apt/download.log")" 1
  local n bytes
  n=$(ls "$dir"/*.deb | wc -l)
  bytes=$(cat "$dir"/*.deb | wc -c)
  echo "deps_prefix: $n packages, $bytes bytes of .deb files in $dir"
}

unpack() {
  local dir=$1 prefix=$2 deb target
  compgen -G "$dir/*.deb" >/dev/null || die "no .deb files in $dir; expected the output of: deps_prefix.sh fetch $dir"
  command -v dpkg-deb >/dev/null || die "unpack needs dpkg-deb; got none on PATH" 1
  mkdir -p "$prefix" || die "cannot create $prefix; expected a writable PREFIX" 1
  prefix=$(cd "$prefix" && pwd)
  for deb in "$dir"/*.deb; do
    dpkg-deb -x "$deb" "$prefix" || die "cannot unpack $deb" 1
  done
  # Packages that still ship /lib/<arch> (zlib1g): merge into usr/lib/<arch> as a merged-/usr
  # system has it, then point absolute links (libz.so -> /lib/...) at the prefix's own files.
  if [[ -d "$prefix/lib" && ! -L "$prefix/lib" ]]; then
    cp -a "$prefix/lib/." "$prefix/usr/lib/" && rm -rf "$prefix/lib"
  fi
  while IFS= read -r link; do
    target=$(readlink "$link")
    [[ "$target" == /* ]] || continue
    target=${target#/usr}
    [[ -e "$prefix/usr$target" ]] || continue
    ln -sfn "$(realpath --relative-to="$(dirname "$link")" "$prefix/usr$target")" "$link"
  done < <(find "$prefix/usr" -type l)
  echo "deps_prefix: unpacked $(ls "$dir"/*.deb | wc -l) packages into $prefix"
}

check() {  # each "-dev" package's runtime library (apt's Depends) is in the list, fetched or "unneeded"
  local pkg dep missing=0
  for pkg in $(packages dev); do
    for dep in $(apt-cache depends "$pkg" 2>/dev/null | awk '$1 == "Depends:" && $2 !~ /^</ { print $2 }'); do
      [[ "$dep" == lib*-dev || "$dep" == libc6* ]] && continue
      sed 's/#.*//' "$LIST" | awk '{ print $1 }' | grep -qx "$dep" || { echo "deps_prefix: $pkg needs $dep, not in $LIST"; missing=1; }
    done
  done
  [[ $missing == 0 ]] && echo "deps_prefix: every runtime library the list's packages depend on is listed"
  return $missing
}

case "${1:-}" in
  fetch) [[ $# == 2 ]] || die "usage: deps_prefix.sh fetch DIR"; fetch "$2" ;;
  unpack) [[ $# == 3 ]] || die "usage: deps_prefix.sh unpack DIR PREFIX"; unpack "$2" "$3" ;;
  check) check ;;
  *) die "unknown command '${1:-}'; expected fetch DIR, unpack DIR PREFIX or check" ;;
esac
