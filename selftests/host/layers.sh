#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dependency graph of each part (kmod/, keyd/) is acyclic: a module
# (x.c with x.h) may use those it includes, never one that uses it back.
# Calls need declarations, so includes stand for calls here. A quoted
# include resolves next to the including file first, then in the part's
# top directory (keyd is compiled with -Ikeyd), as the compiler does.
#
#   selftests/host/layers.sh      TAP, one line per part
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
. selftests/tap.sh

# "module module" edges of part $1 (paths relative to it, no suffix).
edges() {
	local part=$1 f m h target
	while IFS= read -r f; do
		m=${f#"$part"/}
		m=${m%.*}
		while IFS= read -r h; do
			if [ -e "$(dirname "$f")/$h" ]; then
				target=$(realpath -m --relative-to="$part" \
					"$(dirname "$f")/$h")
			elif [ -e "$part/$h" ]; then
				target=$h
			else
				continue	# outside the part (uapi, tools)
			fi
			target=${target%.*}
			[ "$target" != "$m" ] && echo "$m $target"
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
	done < <(find "$part" -name '*.[ch]' ! -name '*.mod.c' | sort)
}

tap_plan 2
for part in kmod keyd; do
	loop=$(edges "$part" | sort -u | tsort 2>&1 >/dev/null |
	       sed -n 's/^tsort: //p' | grep -v 'input contains a loop' |
	       tr '\n' ' ')
	if [ -z "$loop" ]; then
		tap_ok "$part/: no module depends on itself through others"
	else
		tap_not_ok "$part/: a dependency loop: $loop"
	fi
done
tap_done
