#!/usr/bin/env bash
# Sets up what uapi-ts needs on a fresh Debian machine, or says exactly what is missing.
#   scripts/setup.sh [--apt] [--headers] [--kernels] [--bench]
#   --apt      Debian packages: the cross compilers that prove layouts, qemu-user, abigail-tools,
#              chromium (headless, for the picture tests), and what the real-kernel tests boot
#              with (QEMU for x86_64 and s390x, busybox-static, cpio)
#   --headers  sync the pinned kernel header trees (headers/manifest.json)
#   --kernels  fetch and unpack the pinned kernels the real-kernel tests boot (test/kernel/kernels.json;
#              no network when the cache holds them)
#   --bench    the baselines benchmarks compare against (bindgen with libclang and clang's own
#              headers - Debian's bindgen loads libclang at run time and depends on neither -, abigail-tools;
#              binary-parser and @solana/buffer-layout are root devDependencies, so npm ci brings them)
# npm dependencies are always installed when node_modules is missing or stale.
set -euo pipefail
cd "$(dirname "$0")/.."

want_apt=0
want_headers=0
want_bench=0
want_kernels=0
for a in "$@"; do
  case "$a" in
    --apt) want_apt=1 ;;
    --headers) want_headers=1 ;;
    --kernels) want_kernels=1 ;;
    --bench) want_apt=1; want_bench=1 ;;
    *) echo "setup.sh: unknown option $a" >&2; exit 2 ;;
  esac
done

# 1. npm: `npm ci` builds the workspaces too (root "prepare" script).
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund
elif [ ! -f generator/dist/cli/main.js ]; then
  npm run build
fi

# 2. apt: the compilers are the layout truth; compile-only checks need no emulator.
APT_PACKAGES=(gcc-i686-linux-gnu gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-s390x-linux-gnu
  gcc-powerpc64-linux-gnu gcc-powerpc64le-linux-gnu gcc-riscv64-linux-gnu gcc binutils
  # the cross gccs only recommend their libc headers, and --no-install-recommends drops them:
  # <stdint.h> in fuse.h/input.h and the qemu round-trip programs need them
  libc6-dev-i386-cross libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-s390x-cross
  libc6-dev-ppc64-cross libc6-dev-ppc64el-cross libc6-dev-riscv64-cross
  qemu-user abigail-tools dwarves
  # the picture tests (test/report/picture-browser.test.ts) render pages in the system browser
  chromium fonts-dejavu-core
  # the real-kernel tests (test/kernel/): TCG machines for x86_64 and s390x, the initramfs's tools
  qemu-system-x86 qemu-system-misc busybox-static cpio xz-utils)
if [ "$want_bench" = 1 ]; then APT_PACKAGES+=(bindgen libclang1-14 libclang-common-14-dev); fi
if [ "$want_apt" = 1 ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "setup: apt-get install ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
      sudo apt-get update -qq
      sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "setup: missing Debian packages (install them as root): apt-get install ${missing[*]}" >&2
      exit 1
    fi
  fi
fi

# 3. Kernel headers: fetched like any dependency, checked against the committed sha256 pins.
if [ "$want_headers" = 1 ]; then
  node generator/bin/uapi-ts.js headers sync
fi

# 4. Kernels for test/kernel/: fetched like the headers (private apt, sha256 pins), cached in .cache/kernels.
if [ "$want_kernels" = 1 ]; then
  npx tsc -b test/kernel
  node test/kernel/dist/kernel/cli.js fetch
fi
