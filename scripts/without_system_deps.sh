#!/usr/bin/env bash
# Runs a command as on a machine without the Debian packages hft builds against: in a private
# mount namespace, /usr is overlaid and every file of third_party/debian-packages.txt's packages
# (and of pkg-config, spdlog and fmt) is deleted from the overlay. The machine itself is untouched.
# Used to check the HFT_DEPS_PREFIX build (docs/building-without-apt.md) on a development machine:
#
#   sudo bash scripts/without_system_deps.sh cmake -S . -B build-prefix -DHFT_DEPS_PREFIX=... ...
#
# Needs root (or a kernel allowing overlay mounts in a user namespace: then it runs unshare -r).
# Kept: the runtime libraries the system's own tools load (zlib1g, libssl3, libpcre2-8-0: cmake,
# git and grep need them); a binary built against the prefix must find the prefix's copies first
# (check with ldd).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -gt 0 ]] || { echo "without_system_deps: no command; expected: without_system_deps.sh COMMAND [ARGS]" >&2; exit 2; }
KEEP=" zlib1g libssl3 libpcre2-8-0 "
HIDE_ALSO="libspdlog-dev libfmt-dev pkg-config pkgconf pkgconf-bin"

packages=$(sed 's/#.*//' "$ROOT/third_party/debian-packages.txt" | awk 'NF { print $1 }')
files=$(for pkg in $packages $HIDE_ALSO; do
          [[ "$KEEP" == *" $pkg "* ]] && continue
          dpkg -L "$pkg" 2>/dev/null
        done | sed 's|^/lib/|/usr/lib/|; s|^/bin/|/usr/bin/|' | grep '^/usr/' | sort -u)
# From KEEP, only the files a build links against (headers, .so links, .a, CMake/pkg-config files).
files+=$'\n'$(for pkg in $KEEP; do dpkg -L "$pkg" 2>/dev/null; done | sed 's|^/lib/|/usr/lib/|' \
               | grep -E '^/usr/(include|lib/.*\.(a|so)$|lib/.*/(cmake|pkgconfig)/)')

scratch=$(mktemp -d /tmp/without_system_deps.XXXXXX)
mkdir -p "$scratch/upper" "$scratch/work"
printf '%s\n' "$files" >"$scratch/hidden.txt"
as_root=(); [[ $(id -u) -ne 0 ]] && as_root=(-r)
unshare "${as_root[@]}" -m --propagation private bash -c '
  mount -t overlay overlay -o "lowerdir=/usr,upperdir=$1/upper,workdir=$1/work" /usr \
    || { echo "without_system_deps: cannot overlay /usr; expected root or unprivileged overlay mounts" >&2; exit 1; }
  while IFS= read -r f; do [[ -n "$f" && ! -d "$f" ]] && rm -f "$f"; done <"$1/hidden.txt"
  shift; exec "$@"' bash "$scratch" "$@"
rc=$?
rm -rf "$scratch"
exit $rc
