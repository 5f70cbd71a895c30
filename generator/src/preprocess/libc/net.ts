/** The libc model (../libc-model.ts): net/if.h, net/ethernet.h, net/if_arp.h, netinet/if_ether.h. */

/**
 * net/if.h: IFNAMSIZ, the interface flags, struct ifreq/ifconf/ifmap. `_NET_IF_H` tells the
 * kernel's linux/libc-compat.h that libc declared them, so linux/if.h skips its own, as with gcc.
 */
const NET_IF = `#ifndef _NET_IF_H
#define _NET_IF_H 1
#include <features.h>
#include <sys/types.h>
#include <sys/socket.h>
#define IF_NAMESIZE 16
struct if_nameindex {
  unsigned int if_index;
  char *if_name;
};
enum {
  IFF_UP = 0x1,
#define IFF_UP IFF_UP
  IFF_BROADCAST = 0x2,
#define IFF_BROADCAST IFF_BROADCAST
  IFF_DEBUG = 0x4,
#define IFF_DEBUG IFF_DEBUG
  IFF_LOOPBACK = 0x8,
#define IFF_LOOPBACK IFF_LOOPBACK
  IFF_POINTOPOINT = 0x10,
#define IFF_POINTOPOINT IFF_POINTOPOINT
  IFF_NOTRAILERS = 0x20,
#define IFF_NOTRAILERS IFF_NOTRAILERS
  IFF_RUNNING = 0x40,
#define IFF_RUNNING IFF_RUNNING
  IFF_NOARP = 0x80,
#define IFF_NOARP IFF_NOARP
  IFF_PROMISC = 0x100,
#define IFF_PROMISC IFF_PROMISC
  IFF_ALLMULTI = 0x200,
#define IFF_ALLMULTI IFF_ALLMULTI
  IFF_MASTER = 0x400,
#define IFF_MASTER IFF_MASTER
  IFF_SLAVE = 0x800,
#define IFF_SLAVE IFF_SLAVE
  IFF_MULTICAST = 0x1000,
#define IFF_MULTICAST IFF_MULTICAST
  IFF_PORTSEL = 0x2000,
#define IFF_PORTSEL IFF_PORTSEL
  IFF_AUTOMEDIA = 0x4000,
#define IFF_AUTOMEDIA IFF_AUTOMEDIA
  IFF_DYNAMIC = 0x8000
#define IFF_DYNAMIC IFF_DYNAMIC
};
struct ifaddr {
  struct sockaddr ifa_addr;
  union {
    struct sockaddr ifu_broadaddr;
    struct sockaddr ifu_dstaddr;
  } ifa_ifu;
  struct iface *ifa_ifp;
  struct ifaddr *ifa_next;
};
struct ifmap {
  unsigned long mem_start;
  unsigned long mem_end;
  unsigned short base_addr;
  unsigned char irq;
  unsigned char dma;
  unsigned char port;
};
struct ifreq {
#define IFHWADDRLEN 6
#define IFNAMSIZ IF_NAMESIZE
  union {
    char ifrn_name[IFNAMSIZ];
  } ifr_ifrn;
  union {
    struct sockaddr ifru_addr;
    struct sockaddr ifru_dstaddr;
    struct sockaddr ifru_broadaddr;
    struct sockaddr ifru_netmask;
    struct sockaddr ifru_hwaddr;
    short ifru_flags;
    int ifru_ivalue;
    int ifru_mtu;
    struct ifmap ifru_map;
    char ifru_slave[IFNAMSIZ];
    char ifru_newname[IFNAMSIZ];
    __caddr_t ifru_data;
  } ifr_ifru;
};
struct ifconf {
  int ifc_len;
  union {
    __caddr_t ifcu_buf;
    struct ifreq *ifcu_req;
  } ifc_ifcu;
};
#endif
`;

const NET_ETHERNET = `#ifndef __NET_ETHERNET_H
#define __NET_ETHERNET_H 1
#include <sys/types.h>
#include <stdint.h>
#include <linux/if_ether.h>
struct ether_addr {
  uint8_t ether_addr_octet[ETH_ALEN];
} __attribute__((__packed__));
struct ether_header {
  uint8_t ether_dhost[ETH_ALEN];
  uint8_t ether_shost[ETH_ALEN];
  uint16_t ether_type;
} __attribute__((__packed__));
#define ETHERTYPE_PUP 0x0200
#define ETHERTYPE_SPRITE 0x0500
#define ETHERTYPE_IP 0x0800
#define ETHERTYPE_ARP 0x0806
#define ETHERTYPE_REVARP 0x8035
#define ETHERTYPE_AT 0x809B
#define ETHERTYPE_AARP 0x80F3
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_IPX 0x8137
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_LOOPBACK 0x9000
#define ETHER_ADDR_LEN ETH_ALEN
#define ETHER_TYPE_LEN 2
#define ETHER_CRC_LEN 4
#define ETHER_HDR_LEN ETH_HLEN
#define ETHER_MIN_LEN (ETH_ZLEN + ETHER_CRC_LEN)
#define ETHER_MAX_LEN (ETH_FRAME_LEN + ETHER_CRC_LEN)
#define ETHERTYPE_TRAIL 0x1000
#define ETHERTYPE_NTRAILER 16
#define ETHERMTU ETH_DATA_LEN
#define ETHERMIN (ETHER_MIN_LEN - ETHER_HDR_LEN - ETHER_CRC_LEN)
#endif
`;

const NET_IF_ARP = `#ifndef _NET_IF_ARP_H
#define _NET_IF_ARP_H 1
#include <sys/types.h>
#include <sys/socket.h>
#include <stdint.h>
#define MAX_ADDR_LEN 7
#define ARPOP_REQUEST 1
#define ARPOP_REPLY 2
#define ARPOP_RREQUEST 3
#define ARPOP_RREPLY 4
#define ARPOP_InREQUEST 8
#define ARPOP_InREPLY 9
#define ARPOP_NAK 10
struct arphdr {
  unsigned short ar_hrd;
  unsigned short ar_pro;
  unsigned char ar_hln;
  unsigned char ar_pln;
  unsigned short ar_op;
};
#define ARPHRD_NETROM 0
#define ARPHRD_ETHER 1
#define ARPHRD_EETHER 2
#define ARPHRD_AX25 3
#define ARPHRD_PRONET 4
#define ARPHRD_CHAOS 5
#define ARPHRD_IEEE802 6
#define ARPHRD_ARCNET 7
#define ARPHRD_APPLETLK 8
#define ARPHRD_DLCI 15
#define ARPHRD_ATM 19
#define ARPHRD_METRICOM 23
#define ARPHRD_IEEE1394 24
#define ARPHRD_EUI64 27
#define ARPHRD_INFINIBAND 32
#define ARPHRD_SLIP 256
#define ARPHRD_CSLIP 257
#define ARPHRD_SLIP6 258
#define ARPHRD_CSLIP6 259
#define ARPHRD_RSRVD 260
#define ARPHRD_ADAPT 264
#define ARPHRD_ROSE 270
#define ARPHRD_X25 271
#define ARPHRD_HWX25 272
#define ARPHRD_CAN 280
#define ARPHRD_MCTP 290
#define ARPHRD_PPP 512
#define ARPHRD_CISCO 513
#define ARPHRD_HDLC ARPHRD_CISCO
#define ARPHRD_LAPB 516
#define ARPHRD_DDCMP 517
#define ARPHRD_RAWHDLC 518
#define ARPHRD_RAWIP 519
#define ARPHRD_TUNNEL 768
#define ARPHRD_TUNNEL6 769
#define ARPHRD_FRAD 770
#define ARPHRD_SKIP 771
#define ARPHRD_LOOPBACK 772
#define ARPHRD_LOCALTLK 773
#define ARPHRD_FDDI 774
#define ARPHRD_BIF 775
#define ARPHRD_SIT 776
#define ARPHRD_IPDDP 777
#define ARPHRD_IPGRE 778
#define ARPHRD_PIMREG 779
#define ARPHRD_HIPPI 780
#define ARPHRD_ASH 781
#define ARPHRD_ECONET 782
#define ARPHRD_IRDA 783
#define ARPHRD_FCPP 784
#define ARPHRD_FCAL 785
#define ARPHRD_FCPL 786
#define ARPHRD_FCFABRIC 787
#define ARPHRD_IEEE802_TR 800
#define ARPHRD_IEEE80211 801
#define ARPHRD_IEEE80211_PRISM 802
#define ARPHRD_IEEE80211_RADIOTAP 803
#define ARPHRD_IEEE802154 804
#define ARPHRD_IEEE802154_PHY 805
#define ARPHRD_VOID 0xFFFF
#define ARPHRD_NONE 0xFFFE
struct arpreq {
  struct sockaddr arp_pa;
  struct sockaddr arp_ha;
  int arp_flags;
  struct sockaddr arp_netmask;
  char arp_dev[16];
};
struct arpreq_old {
  struct sockaddr arp_pa;
  struct sockaddr arp_ha;
  int arp_flags;
  struct sockaddr arp_netmask;
};
#define ATF_COM 0x02
#define ATF_PERM 0x04
#define ATF_PUBL 0x08
#define ATF_USETRAILERS 0x10
#define ATF_NETMASK 0x20
#define ATF_DONTPUB 0x40
#define ATF_MAGIC 0x80
#define ARPD_UPDATE 0x01
#define ARPD_LOOKUP 0x02
#define ARPD_FLUSH 0x03
struct arpd_request {
  unsigned short req;
  uint32_t ip;
  unsigned long dev;
  unsigned long stamp;
  unsigned long updated;
  unsigned char ha[MAX_ADDR_LEN];
};
#endif
`;

const NETINET_IF_ETHER = `#ifndef __NETINET_IF_ETHER_H
#define __NETINET_IF_ETHER_H 1
#include <features.h>
#include <sys/types.h>
#include <linux/if_ether.h>
#include <net/ethernet.h>
#include <net/if_arp.h>
struct ether_arp {
  struct arphdr ea_hdr;
  uint8_t arp_sha[ETH_ALEN];
  uint8_t arp_spa[4];
  uint8_t arp_tha[ETH_ALEN];
  uint8_t arp_tpa[4];
};
#endif
`;

/** Texts by include name. */
export const NET_HEADERS: Readonly<Record<string, string>> = {
  'net/if.h': NET_IF,
  'net/ethernet.h': NET_ETHERNET,
  'net/if_arp.h': NET_IF_ARP,
  'netinet/if_ether.h': NETINET_IF_ETHER,
};
