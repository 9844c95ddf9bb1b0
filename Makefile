# Antigone for Linux: top-level build.
#
#   make            build the module, daemon, CLI, tools and selftests
#   make deps       install the Debian packages the project needs (root)
#   make check      deps + build + every test; ends with "N passed, N failed"
#   make demo       the live demo in the VM
#   make bench      benchmarks (tools/bench), results in build/bench/
#   make checkpatch kernel coding style of kmod/ and uapi/
#   make install    daemon, CLI, tagging library, unit, man pages (release
#                   build; PREFIX=/usr/local, DESTDIR); make uninstall
#   make install-dkms  the module's source for DKMS (/usr/src/antigone-V)
#   make deb        the Debian packages antigone and antigone-dkms, in build/deb/
#   make debug-kernel  the VM's debug kernel (KASAN, lockdep, ...), cached
#   make kmod-debug    antigone.ko for it, in build/kmod-debug/
#
# KDIR is the kernel build tree the module is built against; by default the
# one of the kernel the VM boots (tools/vm/kernel.sh): Debian 12's 6.1.
# KVER_NEW is the second kernel the module is built and tested for (6.12,
# Debian 13's, which bookworm carries too): build/kmod-new/, when installed.
# ANTIGONE_VM_KERNELS: the kernels make check runs the VM tests under.

KVER ?= $(shell . tools/vm/kernel.sh; antigone_vm_kernel)
KDIR ?= /lib/modules/$(KVER)/build
KVER_NEW ?= $(shell . tools/vm/kernel.sh; antigone_vm_kernel 6.12)
B := build

CC ?= cc
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-unused-parameter -Werror
CPPFLAGS += -Iuapi -D_GNU_SOURCE
CFLAGS ?= -O2 -g
CFLAGS += -std=c11 $(WARN) -fstack-protector-strong -D_FORTIFY_SOURCE=2
# Sanitizers for every userspace binary the tests run: SANITIZE=0 to drop.
SANITIZE ?= 1
ifeq ($(SANITIZE),1)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
NL_CFLAGS := $(shell pkg-config --cflags libnl-genl-3.0 2>/dev/null)
NL_LIBS := $(shell pkg-config --libs libnl-genl-3.0 2>/dev/null)
CRYPTO_LIBS := -lcrypto

KSFT := $(B)/linux-source/tools/testing/selftests

.PHONY: all kmod userspace selftests deps check demo checkpatch clean help \
	debug-kernel kmod-debug kmod-new \
	bench bench-datapath bench-relay bench-cpumodel \
	install uninstall install-dkms uninstall-dkms release deb
all: kmod kmod-new userspace selftests

help:
	@sed -n '3,20p' Makefile | sed 's/^# \{0,1\}//'

deps:
	@tools/deps.sh

# ---- kernel module -------------------------------------------------------
KMOD_SRC := $(wildcard kmod/*.c kmod/*.h) uapi/linux/antigone.h Kbuild kmod/Kbuild
kmod: kmod/antigone.ko
kmod/antigone.ko: $(KMOD_SRC)
	@test -d "$(KDIR)" || { echo "no kernel build tree at '$(KDIR)'; run 'make deps'" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

# The same sources against the second kernel (KVER_NEW), in a directory of
# their own as for the debug kernel below; nothing to do if it is not
# installed (make deps installs it).
KMOD_NEW := $(B)/kmod-new
kmod-new:
	@if [ -z "$(KVER_NEW)" ]; then \
		echo "kmod-new: no 6.12 kernel with headers installed (make deps); skipped"; \
	else \
		if [ "$$(cat $(KMOD_NEW)/.kver 2>/dev/null)" != "$(KVER_NEW)" ]; then \
			rm -rf $(KMOD_NEW) && mkdir -p $(KMOD_NEW) && \
			echo "$(KVER_NEW)" >$(KMOD_NEW)/.kver; \
		fi && \
		cp -p --parents $(filter-out %.mod.c,$(KMOD_SRC)) $(KMOD_NEW)/ && \
		$(MAKE) -C /lib/modules/$(KVER_NEW)/build M=$(CURDIR)/$(KMOD_NEW) modules; \
	fi

# The debug kernel (tools/vm/debug-kernel.sh: built once into a cache outside
# the checkout) and the module built against it. kbuild writes objects next
# to the sources, so the module's sources are copied (mtimes kept) to a
# directory of their own, emptied when the debug kernel changes.
ANTIGONE_VM_KERNELS ?= stock systemd 6.12 debug
export ANTIGONE_VM_KERNELS
KMOD_DEBUG := $(B)/kmod-debug
debug-kernel:
	@tools/vm/debug-kernel.sh >/dev/null
kmod-debug: debug-kernel
	@kdir=$$(tools/vm/debug-kernel.sh --dir)/kdir && \
	if [ "$$(cat $(KMOD_DEBUG)/.kdir 2>/dev/null)" != "$$kdir" ]; then \
		rm -rf $(KMOD_DEBUG) && mkdir -p $(KMOD_DEBUG) && \
		echo "$$kdir" >$(KMOD_DEBUG)/.kdir; \
	fi && \
	cp -p --parents $(filter-out %.mod.c,$(KMOD_SRC)) $(KMOD_DEBUG)/ && \
	$(MAKE) -C "$$kdir" M=$(CURDIR)/$(KMOD_DEBUG) modules

# ---- userspace -----------------------------------------------------------
# keyd's modules: every .c under keyd/ but the two programs and the CLI's
# commands (keyd/cli/), which only the CLI links.
KEYD_PROGS := keyd/antigone.c keyd/antigoned.c
KEYD_CLI := $(wildcard keyd/cli/*.c)
KEYD_COMMON := $(filter-out $(KEYD_PROGS) $(KEYD_CLI),\
	$(wildcard keyd/*.c keyd/*/*.c))
KEYD_HDRS := $(wildcard keyd/*.h keyd/*/*.h) uapi/linux/antigone.h
userspace: $(B)/antigone $(B)/antigoned $(B)/libantigone-tag.so $(LIBWIRE_BINS)

# Preloaded into unmodified programs: no sanitizers.
$(B)/libantigone-tag.so: tools/tag/antigone-tag.c uapi/linux/antigone.h
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) -O2 -g -std=c11 $(WARN) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

# keyd's modules are compiled once into a library the daemon, the CLI and
# every test link.
KEYD_OBJS := $(patsubst keyd/%.c,$(B)/keyd/%.o,$(KEYD_COMMON))
KEYD_LIB := $(B)/libkeyd.a
$(B)/keyd/%.o: keyd/%.c $(KEYD_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Ikeyd $(NL_CFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<
$(KEYD_LIB): $(KEYD_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

KEYD_CLI_OBJS := $(patsubst keyd/%.c,$(B)/keyd/%.o,$(KEYD_CLI))
# Where make install puts the tagging library, for `antigone tag` to find.
$(B)/keyd/cli/tag.o: CPPFLAGS += -DANTIGONE_TAG_LIB='"$(PKGLIBDIR)/libantigone-tag.so"'
$(B)/antigoned: $(B)/%: keyd/%.c $(KEYD_LIB) $(KEYD_HDRS)
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) -Ikeyd $(NL_CFLAGS) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(KEYD_LIB) $(NL_LIBS) $(CRYPTO_LIBS)
$(B)/antigone: $(B)/%: keyd/%.c $(KEYD_CLI_OBJS) $(KEYD_LIB) $(KEYD_HDRS)
	@mkdir -p $(B)
	$(CC) $(CPPFLAGS) -Ikeyd $(NL_CFLAGS) $(CFLAGS) $(SAN) $(LDFLAGS) -o $@ $< $(KEYD_CLI_OBJS) $(KEYD_LIB) $(NL_LIBS) $(CRYPTO_LIBS)

# ---- selftests -----------------------------------------------------------
# host/*.c run on the build machine; kernel/*.c run inside the VM.
KSFT_CFLAGS := -std=gnu11 $(WARN) -Wno-missing-prototypes -Wno-sign-compare -O1 -g -I$(KSFT) -Iuapi -Ikeyd -D_GNU_SOURCE
HOST_TESTS := $(patsubst selftests/host/%.c,$(B)/selftests/host/%,$(wildcard selftests/host/*.c))
KERNEL_TESTS := $(patsubst selftests/kernel/%.c,$(B)/selftests/kernel/%,$(wildcard selftests/kernel/*.c))
VMTEST_OBJ := $(B)/selftests/kernel/lib/vmtest.o
selftests: $(HOST_TESTS) $(KERNEL_TESTS)

include tools/libwire/libwire.mk
include keyd/keyd.mk
-include tools/bench/keyd.mk
include fuzz/fuzz.mk

$(KSFT)/kselftest_harness.h:
	@tools/deps.sh

$(B)/selftests/host/%: selftests/host/%.c $(KEYD_LIB) $(KSFT)/kselftest_harness.h $(KEYD_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(NL_CFLAGS) $(SAN) -o $@ $< $(KEYD_LIB) $(NL_LIBS) $(CRYPTO_LIBS)

# What the VM tests share (selftests/kernel/lib).
$(VMTEST_OBJ): selftests/kernel/lib/vmtest.c selftests/kernel/lib/vmtest.h $(KEYD_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<

# The control-plane fuzzer's parts (kernel/fuzz_ctl/, one concern a file;
# kernel/ctlfuzz.c is its main). Not in a directory ctlfuzz/: the objects
# would then go to build/selftests/kernel/ctlfuzz/, the program's own path,
# and not directly in kernel/: each *.c there is a program of its own.
CTLFUZZ_HDRS := selftests/kernel/fuzz_ctl/ctlfuzz.h \
	selftests/kernel/lib/vmtest.h uapi/linux/antigone.h
CTLFUZZ_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard selftests/kernel/fuzz_ctl/*.c))
$(B)/selftests/kernel/fuzz_ctl/%.o: selftests/kernel/fuzz_ctl/%.c $(CTLFUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<
$(B)/selftests/kernel/ctlfuzz: selftests/kernel/ctlfuzz.c $(CTLFUZZ_OBJS) \
		$(KEYD_LIB) $(VMTEST_OBJ) $(KSFT)/kselftest_harness.h \
		$(KEYD_HDRS) $(CTLFUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(NL_CFLAGS) $(SAN) -o $@ $< $(CTLFUZZ_OBJS) \
		$(VMTEST_OBJ) $(KEYD_LIB) $(NL_LIBS) $(CRYPTO_LIBS)

$(B)/selftests/kernel/%: selftests/kernel/%.c $(KEYD_LIB) $(VMTEST_OBJ) \
		$(KSFT)/kselftest_harness.h $(KEYD_HDRS) selftests/kernel/lib/vmtest.h
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(NL_CFLAGS) $(SAN) -o $@ $< $(VMTEST_OBJ) $(KEYD_LIB) $(NL_LIBS) $(CRYPTO_LIBS)

# ---- tests, demo, style --------------------------------------------------
check: deps
	@$(MAKE) --no-print-directory all
	@case " $(ANTIGONE_VM_KERNELS) " in *" systemd "*) \
		$(MAKE) --no-print-directory deb ;; esac
	@selftests/run

demo: deps
	@$(MAKE) --no-print-directory all
	@tools/demo

# Benchmarks: measured, never asserted (docs/benchmarks.md).
bench: bench-datapath bench-keyd bench-relay bench-cpumodel
bench-datapath: deps
	@$(MAKE) --no-print-directory all
	@tools/bench/run-datapath

# The transports with daemons (release build of antigoned, from bench-keyd).
bench-relay: deps
	@$(MAKE) --no-print-directory all bench-keyd-build
	@tools/bench/run-relay

# The crypto drivers' per-datagram cost on this host's real CPU, from the
# 6.1 and 6.12 kernels' own code built in userspace
# (docs/benchmarks-cpumodel.md). The 6.12 source (150 MB) only for this.
bench-cpumodel: deps
	@dpkg -s linux-source-6.12 >/dev/null 2>&1 || \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends linux-source-6.12 || \
		echo "bench-cpumodel: linux-source-6.12 not installed: 6.12 rows skipped"
	@mkdir -p $(B)/bench
	@tools/bench/cpumodel/run | tee $(B)/bench/cpumodel.md

# ---- install, DKMS, packages ---------------------------------------------
# FHS paths. The configuration, state and runtime directories are the
# daemon's built-in defaults (/etc/antigone, /var/lib/antigone,
# /run/antigone), whatever PREFIX is.
VERSION := $(shell sed -n 's/^\#define ANTIGONE_VERSION "\(.*\)"/\1/p' kmod/version.h)
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
BINDIR ?= $(PREFIX)/bin
MULTIARCH ?= $(shell $(CC) -print-multiarch 2>/dev/null)
LIBDIR ?= $(PREFIX)/lib$(if $(MULTIARCH),/$(MULTIARCH))
# A preload module, not a library to link against: a directory of its own.
PKGLIBDIR ?= $(LIBDIR)/antigone
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
# systemd reads units, sysusers.d and tmpfiles.d under /usr/local/lib too.
SYSTEMDDIR ?= $(if $(filter /usr,$(PREFIX)),/lib/systemd/system,$(PREFIX)/lib/systemd/system)
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
SYSCONFDIR ?= /etc
DKMSDIR ?= /usr/src/antigone-$(VERSION)
REL := $(B)/release
INSTALL ?= install

# What is installed is built again without the sanitizers, into
# build/release (the tests keep their sanitized build/).
release:
	@$(MAKE) --no-print-directory B=$(REL) SANITIZE=0 PREFIX=$(PREFIX) \
		PKGLIBDIR=$(PKGLIBDIR) $(REL)/antigone $(REL)/antigoned \
		$(REL)/libantigone-tag.so

install: release
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
		$(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSTEMDDIR) \
		$(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/doc/antigone/examples \
		$(DESTDIR)$(SYSCONFDIR)/antigone
	$(INSTALL) -d -m 0700 $(DESTDIR)/var/lib/antigone
	$(INSTALL) -m 0755 $(REL)/antigoned $(DESTDIR)$(SBINDIR)/antigoned
	$(INSTALL) -m 0755 $(REL)/antigone $(DESTDIR)$(BINDIR)/antigone
	$(INSTALL) -m 0644 $(REL)/libantigone-tag.so $(DESTDIR)$(PKGLIBDIR)/
	$(INSTALL) -m 0644 man/antigone.8 man/antigoned.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 0644 man/antigoned.conf.5 $(DESTDIR)$(MANDIR)/man5/
	sed 's|@SBINDIR@|$(SBINDIR)|g' etc/systemd/antigoned.service.in \
		>$(DESTDIR)$(SYSTEMDDIR)/antigoned.service
	chmod 0644 $(DESTDIR)$(SYSTEMDDIR)/antigoned.service
	$(INSTALL) -m 0644 etc/systemd/sysusers.conf $(DESTDIR)$(SYSUSERSDIR)/antigone.conf
	$(INSTALL) -m 0644 etc/systemd/tmpfiles.conf $(DESTDIR)$(TMPFILESDIR)/antigone.conf
	$(INSTALL) -m 0644 etc/bash-completion/antigone \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/antigone
	$(INSTALL) -m 0644 etc/antigoned.conf.example \
		$(DESTDIR)$(DATADIR)/doc/antigone/examples/antigoned.conf
	@# Never over an operator's configuration.
	@test -e $(DESTDIR)$(SYSCONFDIR)/antigone/antigoned.conf || \
		$(INSTALL) -m 0644 etc/antigoned.conf \
			$(DESTDIR)$(SYSCONFDIR)/antigone/antigoned.conf
	@# On this host (no DESTDIR): the service user and its directory.
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
		systemd-sysusers $(SYSUSERSDIR)/antigone.conf && \
		systemd-tmpfiles --create $(TMPFILESDIR)/antigone.conf; \
	fi

# Leaves /etc/antigone and /var/lib/antigone (configuration, registry,
# keys) and the user: an operator's data is not a build product.
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/antigoned $(DESTDIR)$(BINDIR)/antigone \
		$(DESTDIR)$(PKGLIBDIR)/libantigone-tag.so \
		$(DESTDIR)$(MANDIR)/man8/antigone.8 \
		$(DESTDIR)$(MANDIR)/man8/antigoned.8 \
		$(DESTDIR)$(MANDIR)/man5/antigoned.conf.5 \
		$(DESTDIR)$(SYSTEMDDIR)/antigoned.service \
		$(DESTDIR)$(SYSUSERSDIR)/antigone.conf \
		$(DESTDIR)$(TMPFILESDIR)/antigone.conf \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/antigone \
		$(DESTDIR)$(DATADIR)/doc/antigone/examples/antigoned.conf
	-rmdir $(DESTDIR)$(PKGLIBDIR) $(DESTDIR)$(DATADIR)/doc/antigone/examples \
		$(DESTDIR)$(DATADIR)/doc/antigone 2>/dev/null

# The module's source as DKMS builds it (kmod/dkms.conf); on this host
# (no DESTDIR) also dkms add, build and install for the running kernel.
DKMS_SRC := Kbuild $(filter-out %.mod.c,$(wildcard kmod/*.c kmod/*.h)) \
	kmod/Kbuild uapi/linux/antigone.h
install-dkms:
	$(INSTALL) -d $(DESTDIR)$(DKMSDIR)/kmod $(DESTDIR)$(DKMSDIR)/uapi/linux
	for f in $(DKMS_SRC); do \
		$(INSTALL) -m 0644 $$f $(DESTDIR)$(DKMSDIR)/$$f || exit 1; \
	done
	sed 's|@VERSION@|$(VERSION)|g' kmod/dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf
	@if [ -z "$(DESTDIR)" ]; then \
		dkms add antigone/$(VERSION) && dkms install antigone/$(VERSION); \
	fi
uninstall-dkms:
	@if [ -z "$(DESTDIR)" ] && dkms status antigone/$(VERSION) | grep -q .; then \
		dkms remove antigone/$(VERSION) --all; \
	fi
	rm -rf $(DESTDIR)$(DKMSDIR)

# Debian packages (debian/), unsigned, into build/deb/.
deb: deps
	@tools/pkg/build-deb

checkpatch: deps
	@selftests/host/checkpatch.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean 2>/dev/null
	rm -rf $(B)/antigone $(B)/antigoned $(B)/selftests $(B)/vm $(B)/keyd \
		$(KMOD_DEBUG) \
		$(KEYD_LIB) $(B)/libwire $(B)/libwire.a $(B)/wirepkt \
		$(B)/libantigone-tag.so
