# Sourced: antigone_vm_kernel [SERIES] prints the version of the installed
# Debian kernel of SERIES (default 6.1, Debian 12's own kernel) that the
# module is built for and the VM boots: the running kernel when it is of
# that series and has both an image in /boot and a build tree (a Debian
# host), otherwise the newest installed one of the series that has both (a
# container or CI machine). Other series (6.12, Debian 13's kernel, which
# bookworm carries too) are booted by name: make check runs the kernel
# suites under both (docs/testing.md).
antigone_vm_kernel() {
	local series=${1:-6.1} d v best=
	v=$(uname -r)
	case $v in
	"$series".* | "$series"-* | "$series"+*)
		if [ -r "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/build" ]; then
			echo "$v"
			return
		fi
		;;
	esac
	for d in /lib/modules/"$series".* /lib/modules/"$series"-* \
		 /lib/modules/"$series"+*; do
		v=${d##*/}
		[ -r "/boot/vmlinuz-$v" ] && [ -d "$d/build" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n 1)
	done
	[ -n "$best" ] && echo "$best"
}
