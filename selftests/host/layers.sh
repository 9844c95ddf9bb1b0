#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The dependency graph of each part (kmod/, keyd/) is acyclic: a module
# (x.c with x.h) may use those it includes, never one that uses it back.
# Calls need declarations, so includes stand for calls here. A quoted
# include resolves next to the including file first, then in the part's
# top directory (keyd is compiled with -Ikeyd), as the compiler does.
#
# keyd/ is also in layers of directories, each using only those below it
# (and itself): lib/ (crypto, log, limits, utilities) < wire/ (the
# control messages' codec), dp/ (the datapath backends) < mech/ (the
# micro-protocols, no I/O) < config, control (keyd/*.c) < role/ (a
# group's role bound to sockets) < cli/ < the programs (antigoned.c,
# antigone.c).
#
#   selftests/host/layers.sh      TAP, one line per check
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

# keyd's layer of a module (path relative to keyd/, no suffix).
keyd_rank() {
	case $1 in
	lib/*) echo 0 ;;
	wire/* | dp/*) echo 1 ;;
	mech/*) echo 2 ;;
	antigoned | antigone) echo 6 ;;
	role/*) echo 4 ;;
	cli/*) echo 5 ;;
	*/*) echo 9 ;;			# a new directory: give it a layer
	*) echo 3 ;;
	esac
}

tap_plan 3
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
bad=
while read -r from to; do
	rf=$(keyd_rank "$from")
	rt=$(keyd_rank "$to")
	[ "$(dirname "$from")" = "$(dirname "$to")" ] && continue
	if [ "$rf" -eq 9 ] || [ "$rt" -ge "$rf" ]; then
		bad="$bad $from->$to"
	fi
done < <(edges keyd | sort -u)
if [ -z "$bad" ]; then
	tap_ok "keyd/: each directory uses only those below it"
else
	tap_not_ok "keyd/: a layer uses one at or above it:$bad"
fi
tap_done
