# SPDX-License-Identifier: GPL-2.0
#
# ktlife: the user's entry points. Kbuild (see Kbuild) builds the module;
# everything that boots a VM goes through qemu/vm.sh.
#
#   make            build ktlife.ko against KDIR
#   make demo       walk through the seed post in a VM (installs what is missing)
#   make check      lint + every selftest on each kernel (stock, debug, kcsan, arm64),
#                   the corpus, the mutants: what CI runs
#   make quick      lint, the corpus's rules, DKMS, the stock VM: while working
#   make vm         an interactive VM shell with ktlife loaded
#   make lint       checkpatch, kernel-doc, clang-format, coccicheck, W=1, sparse
#   make kthread-lint [M=dir]  ktlife's kthread rules (Coccinelle) over any C code, default module/
#   make kthread-audit  the kthread rules over Linux 6.12, into build/audit/ (opt-in, minutes)
#   make bench      ktlife vs its floor and peers in one VM run (issue 4)
#   make corpus     the kthread bug corpus: kthread-lint's recall and false
#                   alarms, make vm-run's verdicts on stock and debug, into
#                   docs/corpus.md (scripts/corpus.sh)
#   make mutants    every pitfall switched on, each caught by its test in a
#                   VM of its own (scripts/mutants.sh; part of make check);
#                   make mutants MUTANTS="no_should_stop ..." for some
#   make MUTANT=name  build ktlife.ko with that one pitfall switched on
#   make docs       render docs/diagrams/*.dot (graphviz)
#   make install    build, install into INSTALL_MOD_PATH/lib/modules/<release>/extra, depmod
#   make uninstall  remove what make install installed, depmod
#   make dkms-check dkms add, build against the stock headers, remove (scripts/dkms.sh)
#   make ktleak     build/ktleak (static) and build/libktleak.a, alone: libc only
#   make install-tools  ktleak, ktleak.h, libktleak.a into PREFIX (/usr/local)
#   make vm-run KO=foo.ko RUN='...' [EXTRA='...'] [KERNEL=stock]: any module
#                   and command in the VM, judged as make check judges its own
#   make clean

# The running kernel's build tree if it has one, else Debian's stock headers.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /lib/modules/*-amd64/build))))

all: modules

# A mutant's name must be one of selftests/mutants.list (a typo would
# build the correct module and prove nothing).
modules:
	$(if $(MUTANT),@grep -qx 'mutant $(MUTANT)' selftests/mutants.list || \
		{ echo "no mutant '$(MUTANT)' in selftests/mutants.list" >&2; exit 1; })
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

demo:
	@scripts/demo.sh

check:
	@scripts/check.sh

# The tier to run while working: lint, the corpus's rules, DKMS, the stock
# VM; no debug, KCSAN or arm64 kernel, no mutants.
quick:
	@KERNELS=stock MUTANTS=0 CORPUS=static scripts/check.sh

vm:
	@qemu/vm.sh --kernel $(or $(KERNEL),stock) --mode shell \
		--log build/console-vm.log shell

lint:
	@scripts/deps.sh
	@scripts/lint.sh

bench:
	@scripts/bench.sh

# Five boots of the N-dependent verdicts, and one with a cost injected.
bench-stability:
	@scripts/bench-stability.sh

mutants:
	@scripts/deps.sh
	@scripts/mutants.sh --docs $(MUTANTS)

corpus:
	@scripts/deps.sh
	@scripts/corpus.sh --docs

# The diagrams, and the docs' demo output from the last "make demo".
docs:
	@scripts/deps.sh
	@for f in docs/diagrams/*.dot; do dot -Tsvg $$f -o $${f%.dot}.svg; done
	@test -f build/console-demo-2.log || \
		{ echo 'make docs: run "make demo" first: its output goes in the docs' >&2; exit 1; }
	@scripts/demo-docs.py --update build/console-demo-1.log \
		build/console-demo-2.log README.md docs/*.md

# Without M: ktlife's module/, less its deliberate bugs (ktlife.exclude).
kthread-lint:
	@scripts/kthread-lint.sh -j 2 $(if $(M),$(M),--exclude scripts/coccinelle/kthread/ktlife.exclude module)

kthread-audit:
	@scripts/kthread-audit.sh

# Installing on a real machine: the release KDIR was built for (Debian's
# headers run no depmod, having no System.map, so we do); a relative
# INSTALL_MOD_PATH is made absolute (the kernel's make runs in KDIR); no
# signing attempt when KDIR has no key (Debian's headers: a harmless but
# alarming "SSL error"). INSTALL_MOD_DIR and INSTALL_MOD_STRIP pass through.
KRELEASE = $(shell sed -n 's/^.define UTS_RELEASE "\(.*\)"/\1/p' \
		$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
DEPMOD ?= /sbin/depmod
modpath = $(if $(INSTALL_MOD_PATH),$(abspath $(INSTALL_MOD_PATH)))
moddir = $(modpath)/lib/modules/$(KRELEASE)/$(or $(INSTALL_MOD_DIR),extra)
depmod = $(DEPMOD) -a$(if $(modpath), -b $(modpath)) $(KRELEASE)

install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(modpath) \
		$(if $(wildcard $(KDIR)/certs/signing_key.x509),,CONFIG_MODULE_SIG_ALL=) \
		modules_install
	$(depmod)

uninstall:
	@test -n "$(KRELEASE)" || { echo "no kernel release in KDIR=$(KDIR)" >&2; exit 1; }
	rm -f $(moddir)/ktlife.ko*
	rmdir --ignore-fail-on-non-empty $(moddir) 2>/dev/null || true
	if [ -d $(modpath)/lib/modules/$(KRELEASE) ]; then $(depmod); fi

dkms-check:
	@scripts/deps.sh
	@scripts/dkms.sh

# ktleak as a tool of its own: no VM, no kernel source, only libc.
PREFIX ?= /usr/local
KTLEAK_CFLAGS = -O2 -Wall -Wextra -Iselftests

build/ktleak: selftests/ktleak_main.c selftests/ktleak.c selftests/ktleak.h
	@mkdir -p build
	$(CC) $(KTLEAK_CFLAGS) -static -o $@ selftests/ktleak_main.c \
		selftests/ktleak.c

build/libktleak.a: selftests/ktleak.c selftests/ktleak.h
	@mkdir -p build
	$(CC) $(KTLEAK_CFLAGS) -c -o build/ktleak.o selftests/ktleak.c
	$(AR) rcs $@ build/ktleak.o

ktleak: build/ktleak build/libktleak.a

install-tools: ktleak
	install -D -m 0755 build/ktleak $(DESTDIR)$(PREFIX)/bin/ktleak
	install -D -m 0644 selftests/ktleak.h $(DESTDIR)$(PREFIX)/include/ktleak.h
	install -D -m 0644 build/libktleak.a $(DESTDIR)$(PREFIX)/lib/libktleak.a

vm-run:
	@scripts/vm-run.sh

# The selftest binaries, as selftests/Makefile builds them (optional: a
# DKMS copy of the tree has no selftests/).
-include selftests/progs.mk

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f $(addprefix selftests/,$(TEST_GEN_PROGS) $(TEST_GEN_PROGS_EXTENDED))
	rm -rf build

.PHONY: all modules demo check quick vm lint bench bench-stability mutants corpus docs install uninstall \
	dkms-check ktleak install-tools vm-run kthread-lint kthread-audit clean
