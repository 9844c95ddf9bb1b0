# Sourced: antigone_vm_kernel prints the version of the Debian kernel that
# the module is built for and the VM boots: the running kernel when it has
# both an image in /boot and a build tree (a Debian host), otherwise the
# newest installed one that has both (a container or CI machine).
antigone_vm_kernel() {
	local d v best=
	v=$(uname -r)
	if [ -r "/boot/vmlinuz-$v" ] && [ -d "/lib/modules/$v/build" ]; then
		echo "$v"
		return
	fi
	for d in /lib/modules/*; do
		v=${d##*/}
		[ -r "/boot/vmlinuz-$v" ] && [ -d "$d/build" ] || continue
		best=$(printf '%s\n%s\n' "$best" "$v" | sort -V | tail -n 1)
	done
	[ -n "$best" ] && echo "$best"
}
