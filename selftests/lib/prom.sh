# Sourced by the tests of antigone status --prometheus (host and VM):
#   prom_value FILE 'NAME{LABELS}'   the sample's value ("" if absent);
#                                    LABELS as printed, in their order
#   prom_check FILE                  promtool check metrics, its lint too
prom_value() {
	awk -v s="$2" 'index($0, s " ") == 1 { print $2; exit }' "$1"
}

prom_check() {
	command -v promtool >/dev/null ||
		{ echo "promtool not found: make deps (package prometheus)"; return 1; }
	promtool check metrics <"$1"
}
export -f prom_value prom_check
