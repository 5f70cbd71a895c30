/**
 * A model of the few glibc headers uapi headers include (`<sys/time.h>`, `<sys/types.h>`,
 * `<sys/socket.h>`, `<sys/ioctl.h>`, `<time.h>`, `<endian.h>`, `<sys/uio.h>`, `<net/if.h>`...), as
 * gcc sees them with Debian's glibc (2.36) under `-std=gnu11` (so `_DEFAULT_SOURCE`: `__USE_MISC`,
 * not `__USE_GNU` or `__USE_XOPEN`). Only types and constants: the layout facts a uapi header can
 * lean on. So the CLI needs no libc headers on the user's machine, and the result does not depend
 * on whichever libc happens to be installed. Every typedef, record and constant here is proven
 * against gcc with the cross glibc on all 8 ABIs (test/gcc/libc-model.test.ts), both time variants.
 *
 * The texts (in libc/: base.ts, socket.ts, net.ts, netinet-in.ts) are ours, written from the facts (sizes, member names and order, values) and named as
 * glibc names its files, so a header that includes `<bits/...>` the way glibc's own do finds them.
 * They are found after every -I dir (a tree that ships its own `sys/time.h` wins), and they guard
 * what the kernel's headers guard against (`_STRUCT_TIMESPEC`, `_NET_IF_H` for libc-compat.h).
 *
 * What differs per ABI comes from the ABI's predefined macros, except `__TIMESIZE` (glibc's default
 * width of time_t: 32 on i386 and armhf, 64 elsewhere), which is a fact of the ABI table passed in.
 * The 64-bit time variant is what `-D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64` gives: the pipeline
 * predefines those two macros and the texts react as glibc's do.
 */

import { BASE_HEADERS } from './libc/base.js';
import { NET_HEADERS } from './libc/net.js';
import { NETINET_IN_HEADERS } from './libc/netinet-in.js';
import { SOCKET_HEADERS } from './libc/socket.js';

export interface LibcFacts {
  /** glibc's `__TIMESIZE` (bits/timesize.h): the width of time_t without `_TIME_BITS`. */
  timeBits: 32 | 64;
}

const STATIC: Readonly<Record<string, string>> = { ...BASE_HEADERS, ...SOCKET_HEADERS, ...NET_HEADERS, ...NETINET_IN_HEADERS };

/** The public libc headers of the model (what a uapi header may `#include <...>`). */
export const LIBC_MODEL_HEADERS: readonly string[] = ['sys/types.h', 'sys/time.h', 'time.h', 'endian.h', 'sys/select.h', 'sys/uio.h', 'sys/socket.h', 'sys/ioctl.h', 'net/if.h', 'netinet/in.h', 'net/ethernet.h', 'net/if_arp.h', 'netinet/if_ether.h', 'stdlib.h', 'string.h'];

const cache = new Map<number, Readonly<Record<string, string>>>();

/** The model's header texts for an ABI's libc facts, by include name. */
export function libcHeaders(facts: LibcFacts): Readonly<Record<string, string>> {
  let hit = cache.get(facts.timeBits);
  if (!hit) {
    hit = { ...STATIC, 'bits/timesize.h': `#define __TIMESIZE ${facts.timeBits}\n` };
    cache.set(facts.timeBits, hit);
  }
  return hit;
}
