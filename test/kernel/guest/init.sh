#!/bin/busybox sh
# PID 1 of the real-kernel test initramfs (test/kernel/harness.ts builds it): load the modules,
# bind the devices to vfio-pci, run the C program and, when the host's / is shared over 9p, the
# TypeScript programs with the host's node in a chroot; then power off. /etc/uapi-ts.conf sets:
#   DEVICES   vendor:device ids to bind to vfio-pci ("8086:10d3 1234:11e8")
#   EDU       the id of QEMU's edu device among them (its BDF goes to --edu), or empty
#   OUT       host path of the output dir: mounted (9p tag "out") at /host$OUT; empty: /out, whose
#             files are printed on the console between "file-begin"/"file-end" lines
#   NODE, RUNJS  the host's node and test/kernel/guest/dist/run.js (only with OUT)
# Lines beginning "UAPI-TS:" are the harness's to read.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
. /etc/uapi-ts.conf
say() { echo "UAPI-TS: $*"; }
stamp() { say "t=$(cut -d' ' -f1 /proc/uptime) $*"; }
dmesg -n 1
stamp "init"
for m in $(cat /modules/order); do insmod /modules/$m.ko || say "error: insmod $m failed"; done
stamp "modules"

BDFS=""
EDU_BDF=""
for d in /sys/bus/pci/devices/*; do
  id="$(sed s/^0x// $d/vendor):$(sed s/^0x// $d/device)"
  for want in $DEVICES; do
    [ "$id" = "$want" ] || continue
    bdf=${d##*/}
    [ -e $d/driver ] && echo $bdf > $d/driver/unbind
    echo vfio-pci > $d/driver_override
    echo $bdf > /sys/bus/pci/drivers_probe
    say "device $bdf id=$id driver=$(basename "$(readlink $d/driver)") group=$(basename "$(readlink $d/iommu_group)")"
    BDFS="$BDFS $bdf"
    [ "$id" = "$EDU" ] && EDU_BDF=$bdf
  done
done
EDU_ARG=""
[ -n "$EDU_BDF" ] && EDU_ARG="--edu $EDU_BDF"

OUTDIR=/out
if [ -n "$OUT" ]; then
  if mount -t 9p -o trans=virtio,version=9p2000.L,ro host /host && mount -t 9p -o trans=virtio,version=9p2000.L out /host$OUT; then
    mount --bind /proc /host/proc && mount --bind /sys /host/sys && mount --bind /dev /host/dev
    OUTDIR=/host$OUT
  else
    say "error: 9p mounts failed"
    OUT=""
  fi
fi
stamp "mounted"

/bin/vfio-probe $EDU_ARG $BDFS > $OUTDIR/c.json 2> $OUTDIR/c.err
say "exit c $?"
stamp "c done"

if [ -n "$OUT" ] && [ -n "$RUNJS" ]; then
  HOME=/ chroot /host $NODE $RUNJS $OUT $EDU_ARG $BDFS > $OUTDIR/ts.out 2> $OUTDIR/ts.err
  say "exit ts $?"
  stamp "ts done"
fi

if [ -z "$OUT" ]; then
  for f in /out/*; do
    say "file-begin ${f##*/}"
    cat $f
    echo
    say "file-end ${f##*/}"
  done
fi
stamp "poweroff"
sync
poweroff -f
