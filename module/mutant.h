/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTLIFE_MUTANT(NAME): true in a build with one pitfall switched on, "make
 * MUTANT=name" (Kbuild defines KTLIFE_MUTANT_NAME), false in every other
 * build, where the compiler drops the wrong branch entirely. Each use sits
 * next to the correct code it breaks; selftests/mutants.list names the
 * test that must catch it, and "make mutants" checks that it does.
 *
 * A header of its own, not ktlife.h: queue.c and log.c, which the bench's
 * peers build too, depend on nothing else of ktlife.
 */
#ifndef KTLIFE_MUTANT_H
#define KTLIFE_MUTANT_H

#include <linux/kconfig.h>

#define KTLIFE_MUTANT(name) IS_ENABLED(KTLIFE_MUTANT_##name)

#endif /* KTLIFE_MUTANT_H */
