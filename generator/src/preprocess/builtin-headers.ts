/**
 * The freestanding headers a C compiler provides itself (C11 4p6: <stddef.h>, <stdint.h>,
 * <limits.h>, <stdbool.h>), which uapi headers include. Written in terms of the ABI's predefined
 * macros, so one text serves every ABI. Found after every -I dir, as gcc's own include dir is.
 */
export const BUILTIN_HEADERS: Readonly<Record<string, string>> = {
  'stddef.h': `#ifndef __UAPI_TS_STDDEF_H
#define __UAPI_TS_STDDEF_H
#if __SIZEOF_LONG__ == 8
typedef unsigned long size_t;
typedef long ptrdiff_t;
#else
/* gcc's __SIZE_TYPE__ and __PTRDIFF_TYPE__ on i386 and armhf: a header's own
   typedef unsigned long size_t; conflicts there (found by the fuzzer). */
typedef unsigned int size_t;
typedef int ptrdiff_t;
#endif
#define NULL ((void *)0)
#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
#endif
`,
  'stdbool.h': `#ifndef __UAPI_TS_STDBOOL_H
#define __UAPI_TS_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#endif
`,
  'stdint.h': `#ifndef __UAPI_TS_STDINT_H
#define __UAPI_TS_STDINT_H
typedef signed char int8_t;
typedef unsigned char uint8_t;
typedef short int16_t;
typedef unsigned short uint16_t;
typedef int int32_t;
typedef unsigned int uint32_t;
#if __SIZEOF_LONG__ == 8
typedef long int64_t;
typedef unsigned long uint64_t;
#define INT64_MAX 9223372036854775807L
#define UINT64_MAX 18446744073709551615UL
#else
typedef long long int64_t;
typedef unsigned long long uint64_t;
#define INT64_MAX 9223372036854775807LL
#define UINT64_MAX 18446744073709551615ULL
#endif
#if __SIZEOF_LONG__ == 8
typedef long intptr_t;
typedef unsigned long uintptr_t;
#else
/* glibc's <stdint.h> where __WORDSIZE is 32 */
typedef int intptr_t;
typedef unsigned int uintptr_t;
#endif
#define INT8_MAX 127
#define INT16_MAX 32767
#define INT32_MAX 2147483647
#define UINT8_MAX 255
#define UINT16_MAX 65535
#define UINT32_MAX 4294967295U
#endif
`,
  'limits.h': `#ifndef __UAPI_TS_LIMITS_H
#define __UAPI_TS_LIMITS_H
#define CHAR_BIT 8
#define SCHAR_MAX 127
#define SCHAR_MIN (-SCHAR_MAX - 1)
#define UCHAR_MAX 255
#ifdef __CHAR_UNSIGNED__
#define CHAR_MIN 0
#define CHAR_MAX UCHAR_MAX
#else
#define CHAR_MIN SCHAR_MIN
#define CHAR_MAX SCHAR_MAX
#endif
#define SHRT_MAX 32767
#define SHRT_MIN (-SHRT_MAX - 1)
#define USHRT_MAX 65535
#define INT_MAX 2147483647
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX 4294967295U
#if __SIZEOF_LONG__ == 8
#define LONG_MAX 9223372036854775807L
#define ULONG_MAX 18446744073709551615UL
#else
#define LONG_MAX 2147483647L
#define ULONG_MAX 4294967295UL
#endif
#define LONG_MIN (-LONG_MAX - 1L)
#define LLONG_MAX 9223372036854775807LL
#define LLONG_MIN (-LLONG_MAX - 1LL)
#define ULLONG_MAX 18446744073709551615ULL
#endif
`,
};

/** libc headers some uapi headers include for userspace convenience; not part of the uapi tree. */
export function isLibcHeader(name: string): boolean {
  return /^(sys|bits|netinet|arpa|net)\//.test(name) || /^(stdlib|string|time|unistd|stdio|errno|signal|fcntl|stdarg|inttypes|endian)\.h$/.test(name);
}
