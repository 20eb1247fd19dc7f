# SPDX-License-Identifier: GPL-2.0
#
# ktlife: the user's entry points. Kbuild (see Kbuild) builds the module;
# everything that boots a VM lives in scripts/ and qemu/.
#
#   make            build ktlife.ko against KDIR
#   make demo       walk through the seed post in a VM (installs what is missing)
#   make check      lint + every selftest on the stock and the debug kernel
#   make vm         an interactive VM shell with ktlife loaded
#   make lint       checkpatch --strict, kernel-doc, W=1 and sparse only
#   make bench      ktlife vs its floor and peers in one VM run (issue 4)
#   make clean

# The running kernel's build tree if it has one, else Debian's stock headers.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(lastword $(sort $(wildcard /lib/modules/*-amd64/build))))

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

demo:
	@scripts/demo.sh

check:
	@scripts/check.sh

vm:
	@scripts/vm.sh

lint:
	@scripts/deps.sh
	@scripts/lint.sh

bench:
	@scripts/bench.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -f $(addprefix selftests/,ktlife_test ktlife_robust_test \
		ktlife_fault_test ktleak_test ktlife_leaky_test ktlife_feed ktleak)
	rm -rf build

.PHONY: all modules demo check vm lint bench clean
