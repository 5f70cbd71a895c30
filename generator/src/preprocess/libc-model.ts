/**
 * A model of the few glibc headers uapi headers include (`<sys/time.h>`, `<sys/types.h>`,
 * `<sys/socket.h>`, `<sys/ioctl.h>`, `<time.h>`, `<endian.h>`, `<sys/uio.h>`, `<net/if.h>`...), as
 * gcc sees them with Debian's glibc (2.36) under `-std=gnu11` (so `_DEFAULT_SOURCE`: `__USE_MISC`,
 * not `__USE_GNU` or `__USE_XOPEN`). Only types and constants: the layout facts a uapi header can
 * lean on. So the CLI needs no libc headers on the user's machine, and the result does not depend
 * on whichever libc happens to be installed. Every typedef, record and constant here is proven
 * against gcc with the cross glibc on all 8 ABIs (test/gcc/libc-model.test.ts), both time variants.
 *
 * The texts are ours, written from the facts (sizes, member names and order, values) and named as
 * glibc names its files, so a header that includes `<bits/...>` the way glibc's own do finds them.
 * They are found after every -I dir (a tree that ships its own `sys/time.h` wins), and they guard
 * what the kernel's headers guard against (`_STRUCT_TIMESPEC`, `_NET_IF_H` for libc-compat.h).
 *
 * What differs per ABI comes from the ABI's predefined macros, except `__TIMESIZE` (glibc's default
 * width of time_t: 32 on i386 and armhf, 64 elsewhere), which is a fact of the ABI table passed in.
 * The 64-bit time variant is what `-D_TIME_BITS=64 -D_FILE_OFFSET_BITS=64` gives: the pipeline
 * predefines those two macros and the texts react as glibc's do.
 */

export interface LibcFacts {
  /** glibc's `__TIMESIZE` (bits/timesize.h): the width of time_t without `_TIME_BITS`. */
  timeBits: 32 | 64;
}

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

/** bits/types.h: the internal names every public typedef is made of. */
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

/** struct timeval: 64-bit seconds and microseconds under __USE_TIME_BITS64. */
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
typedef unsigned long size_t;
typedef unsigned long ulong;
typedef unsigned short ushort;
typedef unsigned int uint;
typedef __int8_t int8_t;
typedef __int16_t int16_t;
typedef __int32_t int32_t;
typedef __int64_t int64_t;
typedef __uint8_t u_int8_t;
typedef __uint16_t u_int16_t;
typedef __uint32_t u_int32_t;
typedef __uint64_t u_int64_t;
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
typedef unsigned long size_t;
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

const STRUCT_IOVEC = `#ifndef __iovec_defined
#define __iovec_defined 1
typedef unsigned long size_t;
struct iovec {
  void *iov_base;
  size_t iov_len;
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
 * sys/socket.h with bits/socket.h, bits/socket_type.h and bits/sockaddr.h: the SO_* options come
 * from the kernel's <asm/socket.h>, as glibc's do under __USE_MISC.
 */
const SYS_SOCKET = `#ifndef _SYS_SOCKET_H
#define _SYS_SOCKET_H 1
#include <features.h>
#include <bits/types/struct_iovec.h>
#include <sys/types.h>
#ifndef __socklen_t_defined
typedef __socklen_t socklen_t;
#define __socklen_t_defined
#endif
enum __socket_type {
  SOCK_STREAM = 1,
#define SOCK_STREAM SOCK_STREAM
  SOCK_DGRAM = 2,
#define SOCK_DGRAM SOCK_DGRAM
  SOCK_RAW = 3,
#define SOCK_RAW SOCK_RAW
  SOCK_RDM = 4,
#define SOCK_RDM SOCK_RDM
  SOCK_SEQPACKET = 5,
#define SOCK_SEQPACKET SOCK_SEQPACKET
  SOCK_DCCP = 6,
#define SOCK_DCCP SOCK_DCCP
  SOCK_PACKET = 10,
#define SOCK_PACKET SOCK_PACKET
  SOCK_CLOEXEC = 02000000,
#define SOCK_CLOEXEC SOCK_CLOEXEC
  SOCK_NONBLOCK = 00004000
#define SOCK_NONBLOCK SOCK_NONBLOCK
};
#define PF_UNSPEC 0
#define PF_LOCAL 1
#define PF_UNIX PF_LOCAL
#define PF_FILE PF_LOCAL
#define PF_INET 2
#define PF_AX25 3
#define PF_IPX 4
#define PF_APPLETALK 5
#define PF_NETROM 6
#define PF_BRIDGE 7
#define PF_ATMPVC 8
#define PF_X25 9
#define PF_INET6 10
#define PF_ROSE 11
#define PF_DECnet 12
#define PF_NETBEUI 13
#define PF_SECURITY 14
#define PF_KEY 15
#define PF_NETLINK 16
#define PF_ROUTE PF_NETLINK
#define PF_PACKET 17
#define PF_ASH 18
#define PF_ECONET 19
#define PF_ATMSVC 20
#define PF_RDS 21
#define PF_SNA 22
#define PF_IRDA 23
#define PF_PPPOX 24
#define PF_WANPIPE 25
#define PF_LLC 26
#define PF_IB 27
#define PF_MPLS 28
#define PF_CAN 29
#define PF_TIPC 30
#define PF_BLUETOOTH 31
#define PF_IUCV 32
#define PF_RXRPC 33
#define PF_ISDN 34
#define PF_PHONET 35
#define PF_IEEE802154 36
#define PF_CAIF 37
#define PF_ALG 38
#define PF_NFC 39
#define PF_VSOCK 40
#define PF_KCM 41
#define PF_QIPCRTR 42
#define PF_SMC 43
#define PF_XDP 44
#define PF_MCTP 45
#define PF_MAX 46
#define AF_UNSPEC PF_UNSPEC
#define AF_LOCAL PF_LOCAL
#define AF_UNIX PF_UNIX
#define AF_FILE PF_FILE
#define AF_INET PF_INET
#define AF_AX25 PF_AX25
#define AF_IPX PF_IPX
#define AF_APPLETALK PF_APPLETALK
#define AF_NETROM PF_NETROM
#define AF_BRIDGE PF_BRIDGE
#define AF_ATMPVC PF_ATMPVC
#define AF_X25 PF_X25
#define AF_INET6 PF_INET6
#define AF_ROSE PF_ROSE
#define AF_DECnet PF_DECnet
#define AF_NETBEUI PF_NETBEUI
#define AF_SECURITY PF_SECURITY
#define AF_KEY PF_KEY
#define AF_NETLINK PF_NETLINK
#define AF_ROUTE PF_ROUTE
#define AF_PACKET PF_PACKET
#define AF_ASH PF_ASH
#define AF_ECONET PF_ECONET
#define AF_ATMSVC PF_ATMSVC
#define AF_RDS PF_RDS
#define AF_SNA PF_SNA
#define AF_IRDA PF_IRDA
#define AF_PPPOX PF_PPPOX
#define AF_WANPIPE PF_WANPIPE
#define AF_LLC PF_LLC
#define AF_IB PF_IB
#define AF_MPLS PF_MPLS
#define AF_CAN PF_CAN
#define AF_TIPC PF_TIPC
#define AF_BLUETOOTH PF_BLUETOOTH
#define AF_IUCV PF_IUCV
#define AF_RXRPC PF_RXRPC
#define AF_ISDN PF_ISDN
#define AF_PHONET PF_PHONET
#define AF_IEEE802154 PF_IEEE802154
#define AF_CAIF PF_CAIF
#define AF_ALG PF_ALG
#define AF_NFC PF_NFC
#define AF_VSOCK PF_VSOCK
#define AF_KCM PF_KCM
#define AF_QIPCRTR PF_QIPCRTR
#define AF_SMC PF_SMC
#define AF_XDP PF_XDP
#define AF_MCTP PF_MCTP
#define AF_MAX PF_MAX
#define SOL_RAW 255
#define SOL_DECNET 261
#define SOL_X25 262
#define SOL_PACKET 263
#define SOL_ATM 264
#define SOL_AAL 265
#define SOL_IRDA 266
#define SOL_NETBEUI 267
#define SOL_LLC 268
#define SOL_DCCP 269
#define SOL_NETLINK 270
#define SOL_TIPC 271
#define SOL_RXRPC 272
#define SOL_PPPOL2TP 273
#define SOL_BLUETOOTH 274
#define SOL_PNPIPE 275
#define SOL_RDS 276
#define SOL_IUCV 277
#define SOL_CAIF 278
#define SOL_ALG 279
#define SOL_NFC 280
#define SOL_KCM 281
#define SOL_TLS 282
#define SOL_XDP 283
#define SOL_MPTCP 284
#define SOL_MCTP 285
#define SOL_SMC 286
#define SOMAXCONN 4096
typedef unsigned short sa_family_t;
#define __SOCKADDR_COMMON(sa_prefix) sa_family_t sa_prefix##family
#define __SOCKADDR_COMMON_SIZE (sizeof(unsigned short))
#define _SS_SIZE 128
struct sockaddr {
  sa_family_t sa_family;
  char sa_data[14];
};
#define __ss_aligntype unsigned long
#define _SS_PADSIZE (_SS_SIZE - __SOCKADDR_COMMON_SIZE - sizeof(__ss_aligntype))
struct sockaddr_storage {
  sa_family_t ss_family;
  char __ss_padding[_SS_PADSIZE];
  __ss_aligntype __ss_align;
};
enum {
  MSG_OOB = 0x01,
#define MSG_OOB MSG_OOB
  MSG_PEEK = 0x02,
#define MSG_PEEK MSG_PEEK
  MSG_DONTROUTE = 0x04,
#define MSG_DONTROUTE MSG_DONTROUTE
  MSG_CTRUNC = 0x08,
#define MSG_CTRUNC MSG_CTRUNC
  MSG_PROXY = 0x10,
#define MSG_PROXY MSG_PROXY
  MSG_TRUNC = 0x20,
#define MSG_TRUNC MSG_TRUNC
  MSG_DONTWAIT = 0x40,
#define MSG_DONTWAIT MSG_DONTWAIT
  MSG_EOR = 0x80,
#define MSG_EOR MSG_EOR
  MSG_WAITALL = 0x100,
#define MSG_WAITALL MSG_WAITALL
  MSG_FIN = 0x200,
#define MSG_FIN MSG_FIN
  MSG_SYN = 0x400,
#define MSG_SYN MSG_SYN
  MSG_CONFIRM = 0x800,
#define MSG_CONFIRM MSG_CONFIRM
  MSG_RST = 0x1000,
#define MSG_RST MSG_RST
  MSG_ERRQUEUE = 0x2000,
#define MSG_ERRQUEUE MSG_ERRQUEUE
  MSG_NOSIGNAL = 0x4000,
#define MSG_NOSIGNAL MSG_NOSIGNAL
  MSG_MORE = 0x8000,
#define MSG_MORE MSG_MORE
  MSG_WAITFORONE = 0x10000,
#define MSG_WAITFORONE MSG_WAITFORONE
  MSG_BATCH = 0x40000,
#define MSG_BATCH MSG_BATCH
  MSG_ZEROCOPY = 0x4000000,
#define MSG_ZEROCOPY MSG_ZEROCOPY
  MSG_FASTOPEN = 0x20000000,
#define MSG_FASTOPEN MSG_FASTOPEN
  MSG_CMSG_CLOEXEC = 0x40000000
#define MSG_CMSG_CLOEXEC MSG_CMSG_CLOEXEC
};
struct msghdr {
  void *msg_name;
  socklen_t msg_namelen;
  struct iovec *msg_iov;
  size_t msg_iovlen;
  void *msg_control;
  size_t msg_controllen;
  int msg_flags;
};
struct cmsghdr {
  size_t cmsg_len;
  int cmsg_level;
  int cmsg_type;
  unsigned char __cmsg_data[];
};
enum {
  SCM_RIGHTS = 0x01
#define SCM_RIGHTS SCM_RIGHTS
};
#include <bits/types/time_t.h>
#include <asm/socket.h>
struct linger {
  int l_onoff;
  int l_linger;
};
struct osockaddr {
  unsigned short sa_family;
  unsigned char sa_data[14];
};
enum {
  SHUT_RD = 0,
#define SHUT_RD SHUT_RD
  SHUT_WR,
#define SHUT_WR SHUT_WR
  SHUT_RDWR
#define SHUT_RDWR SHUT_RDWR
};
#endif
`;

/**
 * sys/ioctl.h: the ioctl encoding (_IO, _IOR, _IOW, _IOWR and the request numbers) is the kernel's,
 * from the tree's per-arch <asm/ioctls.h> (powerpc has its own asm/ioctl.h), as glibc includes it;
 * glibc adds the routing and interface SIOC* numbers and struct winsize.
 */
const SYS_IOCTL = `#ifndef _SYS_IOCTL_H
#define _SYS_IOCTL_H 1
#include <features.h>
#include <asm/ioctls.h>
#define SIOCADDRT 0x890B
#define SIOCDELRT 0x890C
#define SIOCRTMSG 0x890D
#define SIOCGIFNAME 0x8910
#define SIOCSIFLINK 0x8911
#define SIOCGIFCONF 0x8912
#define SIOCGIFFLAGS 0x8913
#define SIOCSIFFLAGS 0x8914
#define SIOCGIFADDR 0x8915
#define SIOCSIFADDR 0x8916
#define SIOCGIFDSTADDR 0x8917
#define SIOCSIFDSTADDR 0x8918
#define SIOCGIFBRDADDR 0x8919
#define SIOCSIFBRDADDR 0x891a
#define SIOCGIFNETMASK 0x891b
#define SIOCSIFNETMASK 0x891c
#define SIOCGIFMETRIC 0x891d
#define SIOCSIFMETRIC 0x891e
#define SIOCGIFMEM 0x891f
#define SIOCSIFMEM 0x8920
#define SIOCGIFMTU 0x8921
#define SIOCSIFMTU 0x8922
#define SIOCSIFNAME 0x8923
#define SIOCSIFHWADDR 0x8924
#define SIOCGIFENCAP 0x8925
#define SIOCSIFENCAP 0x8926
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFSLAVE 0x8929
#define SIOCSIFSLAVE 0x8930
#define SIOCADDMULTI 0x8931
#define SIOCDELMULTI 0x8932
#define SIOCGIFINDEX 0x8933
#define SIOGIFINDEX SIOCGIFINDEX
#define SIOCSIFPFLAGS 0x8934
#define SIOCGIFPFLAGS 0x8935
#define SIOCDIFADDR 0x8936
#define SIOCSIFHWBROADCAST 0x8937
#define SIOCGIFCOUNT 0x8938
#define SIOCGIFBR 0x8940
#define SIOCSIFBR 0x8941
#define SIOCGIFTXQLEN 0x8942
#define SIOCSIFTXQLEN 0x8943
#define SIOCDARP 0x8953
#define SIOCGARP 0x8954
#define SIOCSARP 0x8955
#define SIOCDRARP 0x8960
#define SIOCGRARP 0x8961
#define SIOCSRARP 0x8962
#define SIOCGIFMAP 0x8970
#define SIOCSIFMAP 0x8971
#define SIOCADDDLCI 0x8980
#define SIOCDELDLCI 0x8981
#define SIOCDEVPRIVATE 0x89F0
#define SIOCPROTOPRIVATE 0x89E0
struct winsize {
  unsigned short ws_row;
  unsigned short ws_col;
  unsigned short ws_xpixel;
  unsigned short ws_ypixel;
};
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
typedef unsigned long size_t;
#define NULL ((void *)0)
#define EXIT_FAILURE 1
#define EXIT_SUCCESS 0
#include <sys/types.h>
#endif
`;

const STRING = `#ifndef _STRING_H
#define _STRING_H 1
#include <features.h>
typedef unsigned long size_t;
#define NULL ((void *)0)
#endif
`;

const STATIC: Readonly<Record<string, string>> = {
  'features.h': FEATURES,
  'bits/wordsize.h': WORDSIZE,
  'bits/types.h': TYPES,
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
  'sys/socket.h': SYS_SOCKET,
  'sys/ioctl.h': SYS_IOCTL,
  'stdlib.h': STDLIB,
  'string.h': STRING,
};

/** The public libc headers of the model (what a uapi header may `#include <...>`). */
export const LIBC_MODEL_HEADERS: readonly string[] = ['sys/types.h', 'sys/time.h', 'time.h', 'endian.h', 'sys/select.h', 'sys/uio.h', 'sys/socket.h', 'sys/ioctl.h', 'stdlib.h', 'string.h'];

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
