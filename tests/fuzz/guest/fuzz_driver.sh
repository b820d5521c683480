#!/bin/sh
# Runs inside the VM (make fuzz, through tests/fuzz/guest_fuzz.sh): the
# driver's fuzzer for SECONDS, then what the kernel says about it. Prints TAP.
#
#	sh fuzz_driver.sh SECONDS [SEED]
#
# Debian's kernel has no KASAN, UBSAN, kmemleak or lockdep; the host boots
# it with what it does have switched on (KFENCE sampling, SLUB red zones,
# poisoning, sanity checks and allocation owners, page poisoning), so
#  - a memory error is reported by KFENCE or SLUB in dmesg and taints the
#    kernel, like an oops or a WARN;
#  - leaks are found through SLUB's owners: objects allocated by the module
#    must not grow over the run (all files closed), and none may outlive
#    rmmod. kmemleak is used as well when the kernel has it.

. ./tap.sh

secs=$1
seed=${2:+--seed $2}
slab=/sys/kernel/debug/slab
kmemleak=/sys/kernel/debug/kmemleak

# What this kernel offers, for the log.
kfence=$(cat /sys/module/kfence/parameters/sample_interval 2>/dev/null || echo none)
slub=
for f in sanity_checks red_zone poison store_user; do
	[ "$(cat /sys/kernel/slab/kmalloc-64/$f 2>/dev/null)" = 1 ] && slub="$slub $f"
done
echo "# kernel checks: KFENCE sample_interval=$kfence ms; SLUB debug:${slub:- off};" \
	"kmemleak: $([ -e $kmemleak ] && echo yes || echo no);" \
	"KASAN: $([ -d /sys/kernel/debug/kasan ] || grep -q kasan /proc/kallsyms 2>/dev/null && echo yes || echo no)"

# owners: "count site cache" per allocation site of the module and slab
# cache (SLUB's alloc_traces, with the stack of each site: the first frame
# of the module names it, so kvmalloc and friends are attributed too).
# vmap_area is left out: vfree() gives its areas back lazily, in batches,
# so they outlive the memory; a leaked vmalloc shows in vmallocinfo below.
owners() {
	for f in "$slab"/*/alloc_traces; do
		c=${f%/alloc_traces}
		[ "${c##*/}" = vmap_area ] && continue
		awk -v c="${c##*/}" '
		/^ *[0-9]+ / { flush(); n = $1; site = "" }
		/\[vascend\]/ {
			if (site == "") {
				site = $0; sub(/^ *[0-9]* */, "", site); sub(/\+.*/, "", site)
			}
		}
		/^$/ { flush() }
		function flush() { if (n && site != "") sum[site] += n; n = 0; site = "" }
		END { flush(); for (s in sum) print sum[s], s, c }' "$f" 2>/dev/null
	done | sort -k2
}

have_owners=0
[ -n "$(ls $slab/*/alloc_traces 2>/dev/null | head -n 1)" ] &&
	echo "$slub" | grep -q store_user && have_owners=1
[ $have_owners -eq 1 ] && owners >/tmp/owners.before
# vmalloc areas the module holds (the caller is named per area).
vmallocs() { grep -c '\[vascend\]' /proc/vmallocinfo; }
vm_before=$(vmallocs)

./davinci_fuzz --seconds "$secs" $seed
fuzz_rc=$?

# The kernel said nothing: no oops, BUG, WARN, KFENCE or SLUB report,
# stall or hung task; and the taint flags agree (out-of-tree O and
# unsigned E come from loading the module itself).
bad='(^|[] ])BUG[: ]|Oops|WARNING:|Call Trace|general protection|KASAN|UBSAN|KFENCE: (out-of-bounds|use-after-free|invalid|memory corruption)|Poison overwritten|Redzone|Object padding|FIX [a-z]|list_(add|del) corruption|blocked for more than|soft lockup|rcu_.*stall|refcount_t:|Bad page|double free'
dmesg | grep -E "$bad" >/tmp/bad.txt
[ ! -s /tmp/bad.txt ]
tap_check $? "no oops, BUG, WARNING, KFENCE/SLUB report, stall or hung task in dmesg"
# The first report whole: what warned, and the call trace.
first=$(head -n 1 /tmp/bad.txt)
[ -n "$first" ] && dmesg | grep -F -A 40 -e "$first" | sed -n '1,41s/^/#   /p'
taint=$(cat /proc/sys/kernel/tainted)
[ $((taint & ~((1 << 12) | (1 << 13)))) -eq 0 ]
tap_check $? "the kernel is not tainted beyond loading the module (tainted=$taint)"

if [ -e $kmemleak ]; then
	echo scan >$kmemleak; sleep 5; echo scan >$kmemleak
	grep -B2 -A12 vascend $kmemleak >/tmp/leaks.txt
	[ ! -s /tmp/leaks.txt ]
	tap_check $? "kmemleak reports no leak from vascend"
	sed -n '1,40s/^/#   /p' /tmp/leaks.txt
fi

if [ $have_owners -eq 1 ]; then
	sleep 2		# objects freed after an RCU grace period
	owners >/tmp/owners.after
	# A site holding more objects than before the run leaked them.
	awk 'NR == FNR { b[$2 " " $3] = $1; next }
	     $1 > b[$2 " " $3] + 0 { print $2, "(" $3 "):", b[$2 " " $3] + 0, "->", $1 }' \
		/tmp/owners.before /tmp/owners.after >/tmp/grown.txt
	[ ! -s /tmp/grown.txt ]
	tap_check $? "no allocation site of the module holds more slab objects than before the run ($(wc -l </tmp/owners.after) sites)"
	sed 's/^/#   grew: /' /tmp/grown.txt
fi

vm_after=$(vmallocs)
[ "$vm_after" -le "$vm_before" ]
tap_check $? "the module holds no more vmalloc areas than before the run ($vm_before -> $vm_after)"
[ "$vm_after" -le "$vm_before" ] || grep '\[vascend\]' /proc/vmallocinfo | sed -n '1,20s/^/#   /p'

rmmod vascend
tap_check $? "the module unloads after the run (every reference dropped)"
if [ $have_owners -eq 1 ]; then
	# After rmmod the module's addresses have no symbol any more: any
	# object still owned by one outlived the module.
	for f in "$slab"/*/alloc_traces; do
		grep -l -E '0xffffffffc[0-9a-f]{9}' "$f" 2>/dev/null
	done >/tmp/orphans.txt
	[ ! -s /tmp/orphans.txt ]
	tap_check $? "no slab object allocated by the module outlives rmmod"
	sed 's/^/#   in /' /tmp/orphans.txt
fi
modprobe vascend && [ -e /dev/davinci0 ]
tap_check $? "the module loads again and the card comes back"

[ $fuzz_rc -eq 0 ]
tap_check $? "davinci_fuzz exited 0"
tap_done
