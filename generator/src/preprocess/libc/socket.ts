/** The libc model (../libc-model.ts): sys/socket.h and sys/ioctl.h. */

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

/** Texts by include name. */
export const SOCKET_HEADERS: Readonly<Record<string, string>> = {
  'sys/socket.h': SYS_SOCKET,
  'sys/ioctl.h': SYS_IOCTL,
};
