/** The libc model (../libc-model.ts): features.h, the types glibc builds on, time, endian.h, sys/types.h, sys/select.h, sys/time.h, time.h, sys/uio.h, stdlib.h, string.h. */

const FEATURES = `#ifndef _FEATURES_H
#define _FEATURES_H 1
/* gcc -std=gnu11 without feature macros: _DEFAULT_SOURCE, POSIX 2008, C11. */
#define _DEFAULT_SOURCE 1
#define _POSIX_SOURCE 1
#define _POSIX_C_SOURCE 200809L
#define __USE_ISOC11 1
#define __USE_ISOC99 1
#define __USE_ISOC95 1
#define __USE_POSIX 1
#define __USE_POSIX2 1
#define __USE_POSIX199309 1
#define __USE_POSIX199506 1
#define __USE_XOPEN2K 1
#define __USE_XOPEN2K8 1
#define __USE_MISC 1
#define __USE_ATFILE 1
#define __USE_FORTIFY_LEVEL 0
#define __GNU_LIBRARY__ 6
#define __GLIBC__ 2
#define __GLIBC_MINOR__ 36
#include <bits/wordsize.h>
#include <bits/timesize.h>
#if defined _FILE_OFFSET_BITS && _FILE_OFFSET_BITS == 64
#define __USE_FILE_OFFSET64 1
#endif
#if defined _TIME_BITS && _TIME_BITS == 64 && __TIMESIZE == 32
#if !defined _FILE_OFFSET_BITS || _FILE_OFFSET_BITS != 64
#error "_TIME_BITS=64 is allowed only with _FILE_OFFSET_BITS=64"
#endif
#define __USE_TIME_BITS64 1
#endif
#endif
`;

const WORDSIZE = `#ifdef __LP64__
#define __WORDSIZE 64
#else
#define __WORDSIZE 32
#endif
`;

const TYPES = `#ifndef _BITS_TYPES_H
#define _BITS_TYPES_H 1
#include <features.h>
typedef unsigned char __u_char;
typedef unsigned short __u_short;
typedef unsigned int __u_int;
typedef unsigned long __u_long;
typedef signed char __int8_t;
typedef unsigned char __uint8_t;
typedef short __int16_t;
typedef unsigned short __uint16_t;
typedef int __int32_t;
typedef unsigned int __uint32_t;
#if __WORDSIZE == 64
typedef long __int64_t;
typedef unsigned long __uint64_t;
typedef long __quad_t;
typedef unsigned long __u_quad_t;
#else
typedef long long __int64_t;
typedef unsigned long long __uint64_t;
typedef long long __quad_t;
typedef unsigned long long __u_quad_t;
#endif
typedef __u_quad_t __dev_t;
typedef unsigned int __uid_t;
typedef unsigned int __gid_t;
typedef unsigned long __ino_t;
typedef __u_quad_t __ino64_t;
typedef unsigned int __mode_t;
#if __WORDSIZE == 64 && !defined __aarch64__ && !defined __riscv
typedef unsigned long __nlink_t;
typedef long __blksize_t;
#else
typedef unsigned int __nlink_t;
typedef int __blksize_t;
#endif
typedef long __off_t;
typedef __quad_t __off64_t;
typedef int __pid_t;
typedef long __clock_t;
typedef unsigned long __rlim_t;
typedef unsigned int __id_t;
typedef long __time_t;
typedef unsigned int __useconds_t;
typedef long __suseconds_t;
typedef __int64_t __suseconds64_t;
typedef int __daddr_t;
typedef int __key_t;
typedef int __clockid_t;
typedef void *__timer_t;
typedef long __blkcnt_t;
typedef __quad_t __blkcnt64_t;
typedef unsigned long __fsblkcnt_t;
typedef __u_quad_t __fsblkcnt64_t;
typedef unsigned long __fsfilcnt_t;
typedef __u_quad_t __fsfilcnt64_t;
typedef long __ssize_t;
typedef long __syscall_slong_t;
typedef unsigned long __syscall_ulong_t;
typedef __off64_t __loff_t;
typedef char *__caddr_t;
typedef long __intptr_t;
typedef unsigned int __socklen_t;
typedef struct { int __val[2]; } __fsid_t;
#if __TIMESIZE == 64
#define __time64_t __time_t
#else
typedef __int64_t __time64_t;
#endif
#endif
`;

const STDINT_UINTN = `#ifndef _BITS_STDINT_UINTN_H
#define _BITS_STDINT_UINTN_H 1
#include <bits/types.h>
typedef unsigned char uint8_t;
typedef unsigned short uint16_t;
typedef unsigned int uint32_t;
#if __WORDSIZE == 64
typedef unsigned long uint64_t;
#else
typedef unsigned long long uint64_t;
#endif
#endif
`;

const TIME_T = `#ifndef __time_t_defined
#define __time_t_defined 1
#include <bits/types.h>
#ifdef __USE_TIME_BITS64
typedef __time64_t time_t;
#else
typedef __time_t time_t;
#endif
#endif
`;

const STRUCT_TIMEVAL = `#ifndef __timeval_defined
#define __timeval_defined 1
#include <bits/types.h>
struct timeval {
#ifdef __USE_TIME_BITS64
  __time64_t tv_sec;
  __suseconds64_t tv_usec;
#else
  __time_t tv_sec;
  __suseconds_t tv_usec;
#endif
};
#endif
`;

/**
 * struct timespec: with 64-bit time on a 32-bit ABI tv_nsec stays a 32-bit long, padded to 64 bits
 * (the padding after it on little-endian ABIs, before it on big-endian ones).
 */
const STRUCT_TIMESPEC = `#ifndef _STRUCT_TIMESPEC
#define _STRUCT_TIMESPEC 1
#include <bits/types.h>
#include <endian.h>
struct timespec {
#ifdef __USE_TIME_BITS64
  __time64_t tv_sec;
#else
  __time_t tv_sec;
#endif
#if __WORDSIZE == 64 || (__TIMESIZE == 32 && !defined __USE_TIME_BITS64)
  __syscall_slong_t tv_nsec;
#elif __BYTE_ORDER == __BIG_ENDIAN
  int : 32;
  long tv_nsec;
#else
  long tv_nsec;
  int : 32;
#endif
};
#endif
`;

const STRUCT_IOVEC = `#ifndef __iovec_defined
#define __iovec_defined 1
#if __SIZEOF_LONG__ == 8
typedef unsigned long size_t;
#else
typedef unsigned int size_t; /* gcc's __SIZE_TYPE__ on i386 and armhf */
#endif
struct iovec {
  void *iov_base;
  size_t iov_len;
};
#endif
`;

const ENDIAN = `#ifndef _ENDIAN_H
#define _ENDIAN_H 1
#include <features.h>
#define __LITTLE_ENDIAN 1234
#define __BIG_ENDIAN 4321
#define __PDP_ENDIAN 3412
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define __BYTE_ORDER __BIG_ENDIAN
#else
#define __BYTE_ORDER __LITTLE_ENDIAN
#endif
#define __FLOAT_WORD_ORDER __BYTE_ORDER
#define LITTLE_ENDIAN __LITTLE_ENDIAN
#define BIG_ENDIAN __BIG_ENDIAN
#define PDP_ENDIAN __PDP_ENDIAN
#define BYTE_ORDER __BYTE_ORDER
#endif
`;

const SYS_SELECT = `#ifndef _SYS_SELECT_H
#define _SYS_SELECT_H 1
#include <features.h>
#include <bits/types.h>
#include <bits/types/time_t.h>
#include <bits/types/struct_timeval.h>
#include <bits/types/struct_timespec.h>
#ifndef __suseconds_t_defined
typedef __suseconds_t suseconds_t;
#define __suseconds_t_defined
#endif
typedef struct { unsigned long __val[1024 / (8 * sizeof(unsigned long))]; } __sigset_t;
typedef __sigset_t sigset_t;
typedef long __fd_mask;
#define __NFDBITS (8 * (int) sizeof(__fd_mask))
#define __FD_SETSIZE 1024
typedef struct { __fd_mask __fds_bits[__FD_SETSIZE / __NFDBITS]; } fd_set;
#define FD_SETSIZE __FD_SETSIZE
typedef __fd_mask fd_mask;
#define NFDBITS __NFDBITS
#endif
`;

const SYS_TYPES = `#ifndef _SYS_TYPES_H
#define _SYS_TYPES_H 1
#include <features.h>
#include <bits/types.h>
typedef __u_char u_char;
typedef __u_short u_short;
typedef __u_int u_int;
typedef __u_long u_long;
typedef __quad_t quad_t;
typedef __u_quad_t u_quad_t;
typedef __fsid_t fsid_t;
typedef __loff_t loff_t;
#ifdef __USE_FILE_OFFSET64
typedef __ino64_t ino_t;
typedef __off64_t off_t;
typedef __blkcnt64_t blkcnt_t;
typedef __fsblkcnt64_t fsblkcnt_t;
typedef __fsfilcnt64_t fsfilcnt_t;
#else
typedef __ino_t ino_t;
typedef __off_t off_t;
typedef __blkcnt_t blkcnt_t;
typedef __fsblkcnt_t fsblkcnt_t;
typedef __fsfilcnt_t fsfilcnt_t;
#endif
typedef __dev_t dev_t;
typedef __gid_t gid_t;
typedef __mode_t mode_t;
typedef __nlink_t nlink_t;
typedef __uid_t uid_t;
typedef __pid_t pid_t;
typedef __id_t id_t;
typedef __ssize_t ssize_t;
typedef __daddr_t daddr_t;
typedef __caddr_t caddr_t;
typedef __key_t key_t;
typedef __blksize_t blksize_t;
#ifndef __clock_t_defined
#define __clock_t_defined 1
typedef __clock_t clock_t;
#endif
#ifndef __clockid_t_defined
#define __clockid_t_defined 1
typedef __clockid_t clockid_t;
#endif
#include <bits/types/time_t.h>
#ifndef __timer_t_defined
#define __timer_t_defined 1
typedef __timer_t timer_t;
#endif
#ifndef __suseconds_t_defined
typedef __suseconds_t suseconds_t;
#define __suseconds_t_defined
#endif
#if __SIZEOF_LONG__ == 8
typedef unsigned long size_t;
#else
typedef unsigned int size_t; /* gcc's __SIZE_TYPE__ on i386 and armhf */
#endif
typedef unsigned long ulong;
typedef unsigned short ushort;
typedef unsigned int uint;
/* Spelled as the built-in <stdint.h> and as headers that declare them again (linux/coda.h) spell
   them: the walker compares a redefined typedef's type as written. */
typedef signed char int8_t;
typedef short int16_t;
typedef int int32_t;
#if __WORDSIZE == 64
typedef long int64_t;
#else
typedef long long int64_t;
#endif
typedef unsigned char u_int8_t;
typedef unsigned short u_int16_t;
typedef unsigned int u_int32_t;
#if __WORDSIZE == 64
typedef unsigned long u_int64_t;
#else
typedef unsigned long long u_int64_t;
#endif
#define __BIT_TYPES_DEFINED__ 1
typedef long register_t;
#include <endian.h>
#include <sys/select.h>
#endif
`;

const SYS_TIME = `#ifndef _SYS_TIME_H
#define _SYS_TIME_H 1
#include <features.h>
#include <bits/types.h>
#include <bits/types/time_t.h>
#include <bits/types/struct_timeval.h>
#ifndef __suseconds_t_defined
typedef __suseconds_t suseconds_t;
#define __suseconds_t_defined
#endif
#include <sys/select.h>
struct timezone {
  int tz_minuteswest;
  int tz_dsttime;
};
enum __itimer_which {
  ITIMER_REAL = 0,
#define ITIMER_REAL ITIMER_REAL
  ITIMER_VIRTUAL = 1,
#define ITIMER_VIRTUAL ITIMER_VIRTUAL
  ITIMER_PROF = 2
#define ITIMER_PROF ITIMER_PROF
};
struct itimerval {
  struct timeval it_interval;
  struct timeval it_value;
};
#endif
`;

const TIME = `#ifndef _TIME_H
#define _TIME_H 1
#include <features.h>
#if __SIZEOF_LONG__ == 8
typedef unsigned long size_t;
#else
typedef unsigned int size_t; /* gcc's __SIZE_TYPE__ on i386 and armhf */
#endif
#define NULL ((void *)0)
#include <bits/types.h>
#define CLOCKS_PER_SEC ((__clock_t) 1000000)
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define CLOCK_REALTIME_ALARM 8
#define CLOCK_BOOTTIME_ALARM 9
#define CLOCK_TAI 11
#define TIMER_ABSTIME 1
#define TIME_UTC 1
#ifndef __clock_t_defined
#define __clock_t_defined 1
typedef __clock_t clock_t;
#endif
#include <bits/types/time_t.h>
struct tm {
  int tm_sec;
  int tm_min;
  int tm_hour;
  int tm_mday;
  int tm_mon;
  int tm_year;
  int tm_wday;
  int tm_yday;
  int tm_isdst;
  long tm_gmtoff;
  const char *tm_zone;
};
#include <bits/types/struct_timespec.h>
#ifndef __clockid_t_defined
#define __clockid_t_defined 1
typedef __clockid_t clockid_t;
#endif
#ifndef __timer_t_defined
#define __timer_t_defined 1
typedef __timer_t timer_t;
#endif
struct itimerspec {
  struct timespec it_interval;
  struct timespec it_value;
};
#endif
`;

const SYS_UIO = `#ifndef _SYS_UIO_H
#define _SYS_UIO_H 1
#include <features.h>
#include <sys/types.h>
#include <bits/types/struct_iovec.h>
#define UIO_MAXIOV 1024
#endif
`;

/**
 * stdlib.h and string.h as far as a uapi header can see them: size_t, NULL, and (stdlib.h)
 * sys/types.h. (stdlib.h's wchar_t differs per ABI and is left out: unknown, never wrong.) Like
 * glibc's, these take only size_t and NULL from <stddef.h> (`__need_size_t`), so ptrdiff_t and
 * offsetof stay undeclared as in gcc; size_t is the built-in <stddef.h>'s type.
 */
const STDLIB = `#ifndef _STDLIB_H
#define _STDLIB_H 1
#include <features.h>
#if __SIZEOF_LONG__ == 8
typedef unsigned long size_t;
#else
typedef unsigned int size_t; /* gcc's __SIZE_TYPE__ on i386 and armhf */
#endif
#define NULL ((void *)0)
#define EXIT_FAILURE 1
#define EXIT_SUCCESS 0
#include <sys/types.h>
#endif
`;

const STRING = `#ifndef _STRING_H
#define _STRING_H 1
#include <features.h>
#if __SIZEOF_LONG__ == 8
typedef unsigned long size_t;
#else
typedef unsigned int size_t; /* gcc's __SIZE_TYPE__ on i386 and armhf */
#endif
#define NULL ((void *)0)
#endif
`;

/** Texts by include name. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'features.h': FEATURES,
  'bits/wordsize.h': WORDSIZE,
  'bits/types.h': TYPES,
  'bits/stdint-uintn.h': STDINT_UINTN,
  'bits/types/time_t.h': TIME_T,
  'bits/types/struct_timeval.h': STRUCT_TIMEVAL,
  'bits/types/struct_timespec.h': STRUCT_TIMESPEC,
  'bits/types/struct_iovec.h': STRUCT_IOVEC,
  'endian.h': ENDIAN,
  'sys/select.h': SYS_SELECT,
  'sys/types.h': SYS_TYPES,
  'sys/time.h': SYS_TIME,
  'time.h': TIME,
  'sys/uio.h': SYS_UIO,
  'stdlib.h': STDLIB,
  'string.h': STRING,
};
