#!/bin/bash
# tools/deps.sh: install every Debian package the project needs (build, VM
# tests, the debug kernel, demo, benchmarks) and extract the few files used
# from the kernel source tarball. Idempotent and quick when everything is
# present.
set -euo pipefail

packages=(
	build-essential pkg-config bc kmod cpio file xz-utils
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	linux-image-6.12-amd64 linux-headers-6.12-amd64
	flex bison libelf-dev
	qemu-system-x86 busybox-static
	libssl-dev libnl-3-dev libnl-genl-3-dev
	iproute2 iputils-ping nftables socat iperf tcpdump ethtool
	python3 gnuplot-nox
	tshark
	clang libclang-rt-14-dev
	debhelper dh-dkms dkms lintian fakeroot
	prometheus
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps: missing packages: ${missing[*]}; run 'make deps' as root" >&2
		exit 1
	fi
	echo "deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# From the kernel source tarball: the kselftest harness and checkpatch.
top=$(cd "$(dirname "$0")/.." && pwd)
src=$top/build/linux-source
if [ ! -f "$src/.extracted" ]; then
	tarball=$(ls /usr/src/linux-source-6.1.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || { echo "deps: linux-source-6.1 tarball not found" >&2; exit 1; }
	echo "deps: extracting kselftest headers and checkpatch from $tarball"
	rm -rf "$src" && mkdir -p "$src"
	tar -xf "$tarball" -C "$src" --strip-components=1 \
		linux-source-6.1/tools/testing/selftests/kselftest_harness.h \
		linux-source-6.1/tools/testing/selftests/kselftest.h \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch
	touch "$src/.extracted"
fi
