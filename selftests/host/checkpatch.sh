#!/bin/bash
# Kernel coding style of the module and the uapi header, judged by the
# kernel's own checkpatch.pl (--strict), one TAP line per file.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/selftests/tap.sh"
cd "$top"
checkpatch=build/linux-source/scripts/checkpatch.pl
files=$(ls kmod/*.c kmod/*.h uapi/linux/antigone.h | grep -v '\.mod\.c$')
tap_plan "$(echo "$files" | wc -l)"
for f in $files; do
	tap_check "checkpatch $f" perl "$checkpatch" --no-tree --strict --terse \
		--show-types --ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "$f"
done
tap_done
