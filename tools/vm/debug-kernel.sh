#!/bin/bash
# tools/vm/debug-kernel.sh: build, once, the test VM's debug kernel (KASAN,
# UBSAN, KFENCE, lockdep, kmemleak, ...) from Debian's linux-source-6.1 and
# tools/vm/debug.config, into a cache outside the checkout.
set -euo pipefail

usage() {
	cat <<'USAGE'
Usage: tools/vm/debug-kernel.sh [--dir | --check-config | -h]

Build the test VM's debug kernel from the linux-source-6.1 tarball in
/usr/src: `make defconfig`, `make kvm_guest.config`, then the fragment
tools/vm/debug.config merged over them and `make olddefconfig`. Every line
of the fragment is then checked against the resulting .config; if Kconfig
dropped or changed any of them (an unmet dependency, a renamed option) the
script names each one and fails before compiling anything.

The kernel is built out of tree, with make -j$(nproc), in

    ${ANTIGONE_KCACHE:-/var/cache/antigone}/debug-kernel/KEY/

where KEY hashes the fragment, this script, the linux-source-6.1 package
version and the compiler version: a fresh clone on the same machine reuses
the build, and it is rebuilt only when one of those changes. The build runs
in a temporary directory renamed to KEY when complete, under a lock, so an
interrupted or concurrent build is never used. Older builds beyond the two
most recent are removed.

KEY/ holds:
  bzImage        the kernel image tools/vm/run --debug boots
  kernelrelease  its version (uname -r in the guest)
  kdir           the build tree, KDIR for `make -C KDIR M=DIR modules`
  modules/       `make modules_install` output: lib/modules/RELEASE with
                 modules.builtin and modules.dep, so modprobe of built-in
                 drivers succeeds in the guest
  config         the .config
  build-seconds  how long the build took

With no option: build if needed (progress on stderr, the full log in the
cache) and print the directory on stdout.

Options:
  --dir           print the directory of the current build without
                  building; exit status 1 if it is not built yet
  --check-config  only configure and check the fragment in a scratch
                  directory (about a minute), for editing debug.config
  -h, --help      show this help

Needs flex, bison, bc, libelf-dev and libssl-dev (tools/deps.sh installs
them) and about 10 GB of free space while building.
USAGE
}

mode=build
case "${1:-}" in
"") ;;
--dir) mode=dir ;;
--check-config) mode=check ;;
-h|--help) usage; exit 0 ;;
*) echo "debug-kernel: unknown option '$1' (see --help)" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
self=$here/$(basename "$0")
fragment=$here/debug.config
base=${ANTIGONE_KCACHE:-/var/cache/antigone}/debug-kernel

die() { echo "debug-kernel: $*" >&2; exit 1; }
# A caller's make (make debug-kernel) must not pass its flags and
# variables into the kernel build.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1) || true
[ -n "$tarball" ] || die "no /usr/src/linux-source-6.1.tar.*; run 'make deps'"
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null) ||
	die "package linux-source-6.1 not installed; run 'make deps'"
command -v gcc >/dev/null || die "gcc not installed; run 'make deps'"

key_inputs() {
	echo "linux-source-6.1 $pkgver"
	gcc --version | head -n 1
	echo "fragment $(sha256sum <"$fragment" | cut -d' ' -f1)"
	echo "script $(sha256sum <"$self" | cut -d' ' -f1)"
}
key=$(key_inputs | sha256sum | cut -c1-16)
dir=$base/$key

if [ "$mode" = dir ]; then
	echo "$dir"
	[ -s "$dir/bzImage" ] && exit 0
	echo "debug-kernel: not built yet; run 'make debug-kernel'" >&2
	exit 1
fi

for tool in flex bison bc make depmod; do
	command -v "$tool" >/dev/null ||
		die "$tool not found; run 'make deps'"
done
[ -f /usr/include/libelf.h ] || die "libelf-dev not installed; run 'make deps'"

# Compare the fragment with a .config: print every line Kconfig did not
# keep, with what it became.
check_config() {	# FRAGMENT CONFIG
	local line name got bad=0
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) name=${line%%=*} ;;
		"# CONFIG_"*" is not set") name=${line#\# }; name=${name%% *} ;;
		*) continue ;;
		esac
		got=$(grep -E "^$name=|^# $name is not set\$" "$2" || true)
		case "$line" in
		"# "*) [[ "$got" != "$name="* ]] && continue ;;
		*) [ "$got" = "$line" ] && continue ;;
		esac
		[ $bad -eq 0 ] && echo "debug-kernel: Kconfig did not keep these lines of $1:" >&2
		printf 'debug-kernel:   %-45s -> %s\n' "$line" \
			"${got:-absent (a dependency is not met)}" >&2
		bad=1
	done <"$1"
	return $bad
}

configure() {	# SRC: extract the tarball into SRC and configure SRC/obj
	local src=$1
	# O=obj inside the source tree: the build tree then names its source
	# by a relative path and still works once the directory is renamed.
	mkdir -p "$src" &&
	tar -xf "$tarball" -C "$src" --strip-components=1 &&
	make -C "$src" O=obj defconfig &&
	make -C "$src" O=obj kvm_guest.config &&
	(cd "$src" && scripts/kconfig/merge_config.sh -m -O obj obj/.config "$fragment") &&
	make -C "$src" O=obj olddefconfig &&
	check_config "$fragment" "$src/obj/.config"
}

mkdir -p "$base" 2>/dev/null && [ -w "$base" ] ||
	die "cannot write $base; run as root or set ANTIGONE_KCACHE to a writable directory"

if [ "$mode" = check ]; then
	scratch=$(mktemp -d "$base/.check.XXXXXX")
	trap 'rm -rf "$scratch"' EXIT
	if configure "$scratch/linux" >"$scratch/log" 2>&1; then
		echo "debug-kernel: every line of $fragment is in the configuration" >&2
		exit 0
	fi
	grep '^debug-kernel:' "$scratch/log" >&2 || tail -n 30 "$scratch/log" >&2
	exit 1
fi

if [ -s "$dir/bzImage" ]; then
	echo "$dir"
	exit 0
fi

exec 9>"$base/.lock"
if ! flock -n 9; then
	echo "debug-kernel: another build holds $base/.lock; waiting" >&2
	flock 9
fi
if [ -s "$dir/bzImage" ]; then	# built by whoever held the lock
	echo "$dir"
	exit 0
fi
# Under the lock nobody else is building: anything half done is stale.
rm -rf "$base"/.build-*

tmp=$base/.build-$key
log=$base/build-$key.log
ticker=
cleanup() {
	[ -n "$ticker" ] && kill "$ticker" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start=$SECONDS
echo "debug-kernel: building $key (linux-source-6.1 $pkgver + $fragment) in $base; log: $log" >&2
: >"$log"
if ! configure "$tmp/linux" >>"$log" 2>&1; then
	grep '^debug-kernel:' "$log" >&2 || tail -n 30 "$log" >&2
	die "configuration failed (log: $log)"
fi
echo "debug-kernel: configured; compiling with make -j$(nproc)" >&2
(
	trap 'kill "$s" 2>/dev/null; exit 0' TERM
	while :; do
		sleep 300 &
		s=$!
		wait "$s"
		echo "debug-kernel: ... $(((SECONDS - start) / 60)) min," \
			"$(find "$tmp/linux/obj" -name '*.o' | wc -l) objects" >&2
	done
) &
ticker=$!
mk() { make -C "$tmp/linux" O=obj "$@" >>"$log" 2>&1; }
if ! mk -j"$(nproc)" all; then
	tail -n 40 "$log" >&2
	die "build failed (log: $log)"
fi
kill "$ticker" 2>/dev/null || true
ticker=
release=$(cat "$tmp/linux/obj/include/config/kernel.release")
mk modules_install INSTALL_MOD_PATH="$tmp/modules" ||
	die "modules_install failed (log: $log)"
# Its build and source links point into the temporary directory.
rm -f "$tmp/modules/lib/modules/$release/build" "$tmp/modules/lib/modules/$release/source"
ln -s "$dir/kdir" "$tmp/modules/lib/modules/$release/build"

cp "$tmp/linux/obj/arch/x86/boot/bzImage" "$tmp/bzImage"
cp "$tmp/linux/obj/.config" "$tmp/config"
echo "$release" >"$tmp/kernelrelease"
ln -s linux/obj "$tmp/kdir"
# What an external module build needs stays (headers, generated files,
# scripts, objtool, Module.symvers); the kernel's own objects go.
find "$tmp/linux/obj" -name '*.o' ! -path "$tmp/linux/obj/scripts/*" \
	! -path "$tmp/linux/obj/tools/*" -delete
rm -rf "$tmp/linux/Documentation"
key_inputs >"$tmp/key-inputs"
secs=$((SECONDS - start))
echo "$secs" >"$tmp/build-seconds"
mv -T "$tmp" "$dir"
mv "$log" "$dir/build.log"

# Keep the two most recent builds.
ls -1dt "$base"/*/ 2>/dev/null | tail -n +3 | while read -r old; do
	[ "${old%/}" = "$dir" ] || rm -rf "${old%/}"
done
echo "debug-kernel: built $release in $((secs / 60)) min $((secs % 60)) s: $dir" >&2
echo "$dir"
