#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# audit-demo.sh [--build-only] [bug|fix|pristine]... - the bug of
# docs/audit.md's "One bug shown happening", made to happen and then
# fixed: bcache's bch_sectors_dirty_init() stops, on a failed thread
# creation, a dirty-count thread that has already returned (a
# use-after-free in kthread_stop()). Kernels, each booted once (default:
# bug, then fix):
#
#   bug       Debian's 6.12.118 source (scripts/ksrc.sh 6.12) with
#             qemu/audit-demo/patches/0001-* only, a test aid that makes
#             the creation of thread i > 0 take 3 s. The run must FAIL with
#             KASAN's use-after-free report in kthread_stop().
#   fix       the same plus 0002-*, the fix (wait for the started threads
#             instead of stopping them). The same run must PASS.
#   pristine  neither patch: what the same run does on the code as Debian
#             ships it (not judged; printed).
#
# Each is the project's debug kernel (tinyconfig + qemu/base.config,
# qemu/debug.config, selftests/config) plus qemu/audit-demo/demo.config
# (the block layer, loop, bcache), built out of tree from a hardlink copy
# of the extracted source (cp -al: the patched files alone are real
# copies; $KTLIFE_CACHE/src stays pristine), under nice -n 19, and cached
# in $KTLIFE_CACHE/audit-demo/kernels/ by a hash of the fragments, the
# patches, the source package, the compiler and the build recipe. A
# variant built after another starts from a copy of its object directory
# (same source path, same .config), so only the patched files and the
# link are rebuilt (about 30 s, against 10 to 13 min from scratch).
#
# The VM: qemu/run.sh (its verdict rules, PID 1, busybox), with the
# payload qemu/audit-demo/guest.sh, bcache-fill.c (built static here) and
# Debian's make-bcache (bcache-tools, fetched with apt-get download and run
# through its dynamic loader, as qemu/stage.sh runs trace-cmd). qemu/run.sh
# boots 2 vCPUs, and bcache starts num_online_cpus()/2 threads: the bug
# needs two: it boots with SMP=4 (run.sh's vCPU count).
#
# Logs: $KTLIFE_CACHE/audit-demo/logs/VARIANT.log (the console) and
# VARIANT.dmesg (the full kernel log). Exit status 0 only if the bug run
# failed with the expected report and the fix run passed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"

demo=$top/qemu/audit-demo
D=$KTLIFE_CACHE/audit-demo
fragments=("$top/qemu/base.config" "$top/qemu/debug.config"
	"$top/selftests/config" "$demo/demo.config")
# What build() does to make a kernel, as part of the kernels' cache key
# (rather than this whole script, whose other changes need no rebuild):
# change it with build(), verify_config() or kmake().
RECIPE="audit-demo build 1: tinyconfig, merge_config.sh, olddefconfig, make bzImage"
# The report the bug run must show.
EXPECT_BUG='BUG: KASAN: [a-z-]*use-after-free in kthread_stop'

usage()
{
	die "usage: audit-demo.sh [--build-only] [bug|fix|pristine]..."
}

build_only=false
variants=()
for arg in "$@"; do
	case "$arg" in
	--build-only) build_only=true ;;
	bug|fix|pristine) variants+=("$arg") ;;
	*) usage ;;
	esac
done
[ ${#variants[@]} -gt 0 ] || variants=(bug fix)

# patches VARIANT: the patch files of VARIANT, in the order applied.
patches()
{
	case "$1" in
	bug) ls "$demo"/patches/0001-*.patch ;;
	fix) ls "$demo"/patches/0001-*.patch "$demo"/patches/0002-*.patch ;;
	pristine) ;;
	esac
}

# touched_files: every file any of our patches changes (relative paths).
touched_files()
{
	sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$demo"/patches/*.patch |
		sort -u
}

# verify_config CONFIG: every value the fragments set (the last one wins)
# is in CONFIG; Kconfig drops what it cannot satisfy without a word.
verify_config()
{
	local line sym missing=()
	local -A want=()

	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*) sym=${line%%=*} ;;
		"# CONFIG_"*" is not set") sym=${line#\# }; sym=${sym%% *} ;;
		*) continue ;;
		esac
		want[$sym]=$line
	done < <(cat "${fragments[@]}")
	for sym in "${!want[@]}"; do
		line=${want[$sym]}
		case "$line" in
		"# "*) ! grep -qE "^$sym=[ym]$" "$1" || missing+=("$line") ;;
		*) grep -qxF -- "$line" "$1" || missing+=("$line") ;;
		esac
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	printf '  %s\n' "${missing[@]}" >&2
	return 1
}

# kmake LOG OBJ: the kernel image, a progress line a minute.
kmake()
{
	local log=$1 obj=$2 pid start=$SECONDS rc=0

	nice -n 19 make -C "$tree" O="$obj" -j"$(nproc)" bzImage \
		>>"$log" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		sleep 5
		if [ $(((SECONDS - start) % 60)) -lt 5 ]; then
			say "building: $(grep -c '^  CC' "$log" || true) objects compiled, $((SECONDS - start)) s"
		fi
	done
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 40 "$log" >&2
		die "make bzImage failed (full log: $log)"
	fi
}

# build VARIANT: its object directory on stdout, built if need be.
build()
{
	local v=$1 src pkgver compiler cfgkey key obj tmp seed f p log start
	local -a ps

	mapfile -t ps < <(patches "$v")
	src=$("$top/scripts/ksrc.sh" 6.12)
	pkgver=${src##*/}
	compiler=$(gcc --version | head -n 1)
	cfgkey=$(content_hash "${fragments[@]}" "$pkgver" "$compiler" "$RECIPE")
	key=$(content_hash "${ps[@]}")
	obj=$D/kernels/$v-$cfgkey-$key
	if [ -f "$obj/.done" ]; then
		echo "$obj"
		return 0
	fi
	mkdir -p "$D/kernels"
	# One build at a time: the variants share the patched tree.
	exec 9>"$D/.lock"
	flock 9
	if [ -f "$obj/.done" ]; then
		exec 9>&-
		echo "$obj"
		return 0
	fi
	start=$SECONDS
	# The source: a hardlink copy of the pristine tree, one per source
	# package (the same path for every variant, so that kbuild can
	# rebuild one variant's objects into another's incrementally).
	tree=$D/src-$pkgver
	if [ ! -f "$tree/.ktlife-linked" ]; then
		say "linking $tree to $src (cp -al)"
		rm -rf "$tree"
		cp -al "$src" "$tree"
		touch "$tree/.ktlife-linked"
	fi
	# Every file a patch of ours touches becomes a real copy of the
	# pristine one (new inode, new mtime: kbuild rebuilds it), then this
	# variant's patches apply, without fuzz.
	while IFS= read -r f; do
		if [ -e "$src/$f" ]; then
			cp --remove-destination "$src/$f" "$tree/$f"
		else
			rm -f "$tree/$f"
		fi
	done < <(touched_files)
	for p in "${ps[@]}"; do
		say "applying ${p##*/}"
		patch -d "$tree" -p1 -F0 -s --no-backup-if-mismatch <"$p" ||
			die "${p##*/} does not apply to $pkgver"
	done
	tmp=$D/kernels/.build-$v-$cfgkey-$key
	rm -rf "$tmp"
	log=$tmp.log
	: >"$log"
	seed=
	for f in "$D"/kernels/*-"$cfgkey"-*/.done; do
		[ -f "$f" ] && seed=${f%/.done}
	done
	if [ -n "$seed" ]; then
		say "building the $v kernel from a copy of ${seed##*/} (the patched files and the link)"
		cp -a "$seed" "$tmp"
		rm -f "$tmp/.done"
	else
		say "building the $v kernel in $obj (from scratch: several minutes)"
		mkdir -p "$tmp"
		make -C "$tree" O="$tmp" tinyconfig >>"$log" 2>&1 ||
			die "make tinyconfig failed (log: $log)"
		(cd "$tmp" && "$tree/scripts/kconfig/merge_config.sh" -m \
			.config "${fragments[@]}") >>"$log" 2>&1 ||
			die "merge_config.sh failed (log: $log)"
		make -C "$tree" O="$tmp" olddefconfig >>"$log" 2>&1 ||
			die "make olddefconfig failed (log: $log)"
	fi
	verify_config "$tmp/.config" ||
		die "options above were dropped from the .config (log: $log)"
	kmake "$log" "$tmp"
	[ -f "$tmp/arch/x86/boot/bzImage" ] || die "no bzImage (log: $log)"
	mv "$log" "$tmp/ktlife-build.log"
	touch "$tmp/.done"
	rm -rf "$obj"
	mv "$tmp" "$obj"
	say "built $obj in $((SECONDS - start)) s"
	# Kernels of other fragments, compilers or sources, and this
	# variant's kernels of older patches, are dead weight.
	for f in "$D"/kernels/*-*-*; do
		[ "$f" != "$obj" ] || continue
		case "${f##*/}" in
		*-"$cfgkey"-*) [[ "${f##*/}" != "$v-$cfgkey-"* ]] || rm -rf "$f" ;;
		*) rm -rf "$f" ;;
		esac
	done
	exec 9>&-
	echo "$obj"
}

# make_bcache_tools: Debian's bcache-tools, unpacked once; its directory.
bcache_tools()
{
	local dir=$D/bcache-tools deb

	if [ ! -x "$dir/usr/sbin/make-bcache" ]; then
		mkdir -p "$D/dl"
		(cd "$D/dl" && apt-get download bcache-tools) >&2 ||
			die "apt-get download bcache-tools failed"
		# shellcheck disable=SC2012 # apt-get's own file names
		deb=$(ls -t "$D"/dl/bcache-tools_*.deb | head -n 1)
		rm -rf "$dir"
		dpkg-deb -x "$deb" "$dir"
	fi
	echo "$dir"
}

# stage: the payload directory.
stage()
{
	local p=$D/payload tools mb lib loader

	rm -rf "$p"
	mkdir -p "$p/bin" "$p/bcache-tools/lib"
	install -m 0755 "$demo/guest.sh" "$p/run"
	gcc -static -O2 -Wall -Wextra -Werror -o "$p/bin/bcache-fill" \
		"$demo/bcache-fill.c" || die "cannot build bcache-fill"
	tools=$(bcache_tools)
	mb=$tools/usr/sbin/make-bcache
	cp "$mb" "$p/bcache-tools/"
	ldd "$mb" | grep -oE '/[^ ]+' | while read -r lib; do
		cp -L "$lib" "$p/bcache-tools/lib/"
	done
	loader=$(basename "$(ldd "$mb" | grep -oE '/[^ ]*ld-linux[^ ]*')")
	cat >"$p/bin/make-bcache" <<EOF
#!/bin/sh
d=/payload/bcache-tools
exec \$d/lib/$loader --library-path \$d/lib \$d/make-bcache "\$@"
EOF
	chmod 0755 "$p/bin/make-bcache"
}

# boot VARIANT OBJ: one run; says whether it went as it must.
boot()
{
	local v=$1 obj=$2 log=$D/logs/$1.log rc=0 start=$SECONDS hit

	mkdir -p "$D/logs"
	say "booting the $v kernel (4 vCPUs, TCG if no KVM; log: $log)"
	SMP=4 "$top/qemu/run.sh" --kernel \
		"$obj/arch/x86/boot/bzImage" --payload "$D/payload" \
		--log "$log" --timeout 1200 --quiet || rc=$?
	say "the $v run took $((SECONDS - start)) s, status $rc"
	case "$v" in
	bug)
		hit=$(tr -d '\r' <"$log" | grep -m 1 -E "$EXPECT_BUG" ||
			tr -d '\r' <"${log%.log}.dmesg" |
			grep -m 1 -E "$EXPECT_BUG" || true)
		if [ "$rc" -ne 0 ] && [ -n "$hit" ]; then
			say "bug: FAILED as it must: ${hit#*] }"
			return 0
		fi
		warn "bug: the run did not fail with '$EXPECT_BUG' (status $rc; log: $log)"
		return 1
		;;
	fix)
		if [ "$rc" -eq 0 ] &&
		   tr -d '\r' <"$log" | grep -q 'fails to run thread bch_dirty_init\[1\]'; then
			say "fix: PASSED as it must, after the same failed creation"
			return 0
		fi
		warn "fix: the run did not pass (status $rc; log: $log)"
		return 1
		;;
	pristine)
		hit=$(tr -d '\r' <"$log" | grep -m 1 -E 'BUG: KASAN|blocked for more than|fails to run thread' || true)
		say "pristine: status $rc; ${hit:-no report}"
		;;
	esac
}

"$top/scripts/deps.sh"
declare -A objs=()
for v in "${variants[@]}"; do
	objs[$v]=$(build "$v")
done
$build_only && { for v in "${variants[@]}"; do echo "${objs[$v]}"; done; exit 0; }
stage
ok=true
for v in "${variants[@]}"; do
	boot "$v" "${objs[$v]}" || ok=false
done
$ok || die "the demo did not go as it must (logs in $D/logs/)"
say "done: logs in $D/logs/"
