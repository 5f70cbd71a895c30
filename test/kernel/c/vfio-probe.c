/*
 * vfio-probe: the C program the real-kernel tests compare the TypeScript program with.
 *
 * It is independent of uapi-ts: every request number, struct, size and offset comes from the
 * kernel's own <linux/vfio.h> (and <linux/vfio_zdev.h> on s390x) as this program is compiled
 * against them (`gcc -static -I headers/<series>/include ...`), and every reply is printed field
 * by field under its C member name, with the raw bytes of the whole buffer the kernel filled.
 * Output: one JSON document on stdout (schema: test/kernel/guest/report.ts, `ProbeReport`).
 *
 *   vfio-probe [--edu BDF] BDF...
 *
 * For each BDF (bound to vfio-pci): its group is opened, checked and added to one container with
 * the type1v2 IOMMU; then VFIO_IOMMU_GET_INFO by argsz negotiation, and per device the device
 * info, every region and IRQ index, the VFIO_DEVICE_FEATURE probes and a few error paths.
 * With --edu, QEMU's edu device at BDF is also driven (ID, liveness, factorial, DMA round trip).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>
#ifdef __s390x__
#include <linux/vfio_zdev.h>
#endif

#define MAX_DEVICES 8

/* ---------------------------------------------------------------- JSON out */

static int first[64];
static int depth;

static void sep(void)
{
	if (!first[depth])
		putchar(',');
	first[depth] = 0;
}
static void open_(char c)
{
	sep();
	putchar(c);
	first[++depth] = 1;
}
static void close_(char c)
{
	depth--;
	putchar(c);
}
static void key(const char *k)
{
	sep();
	printf("\"%s\":", k);
	first[depth] = 1; /* the value that follows needs no comma */
}
static void obj(const char *k)
{
	if (k)
		key(k);
	open_('{');
}
static void arr(const char *k)
{
	if (k)
		key(k);
	open_('[');
}
static void end_obj(void) { close_('}'); first[depth] = 0; }
static void end_arr(void) { close_(']'); first[depth] = 0; }
static void str(const char *k, const char *v)
{
	if (k)
		key(k);
	else
		sep();
	putchar('"');
	for (const char *p = v; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if ((unsigned char)*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
	first[depth] = 0;
}
/* 8-, 16- and 32-bit members as JSON numbers, 64-bit ones as decimal strings (as toJSON does). */
static void u32(const char *k, uint32_t v)
{
	if (k)
		key(k);
	else
		sep();
	printf("%u", v);
	first[depth] = 0;
}
static void s64(const char *k, long long v)
{
	if (k)
		key(k);
	else
		sep();
	printf("%lld", v);
	first[depth] = 0;
}
static void u64(const char *k, uint64_t v)
{
	if (k)
		key(k);
	else
		sep();
	printf("\"%llu\"", (unsigned long long)v);
	first[depth] = 0;
}
static void null_(const char *k)
{
	key(k);
	printf("null");
	first[depth] = 0;
}
static void hex(const char *k, const void *buf, size_t n)
{
	key(k);
	putchar('"');
	for (size_t i = 0; i < n; i++)
		printf("%02x", ((const unsigned char *)buf)[i]);
	putchar('"');
	first[depth] = 0;
}

/* ---------------------------------------------------------------- one reply */

/*
 * Every ioctl (and open) is one entry of "calls": its key (the TypeScript program uses the same
 * keys), the ioctl's name, the argsz passed, the return value or the errno name, and for
 * struct-carrying ioctls the bytes of the buffer afterwards and the fields.
 */
static void call_begin(const char *key_, const char *ioctl_name, unsigned long request, long argsz_in, int ret, int err)
{
	obj(NULL);
	str("key", key_);
	str("ioctl", ioctl_name);
	if (request) {
		char r[32];
		snprintf(r, sizeof(r), "0x%lx", request);
		str("request", r);
	} else {
		null_("request");
	}
	if (argsz_in >= 0)
		s64("argszIn", argsz_in);
	else
		null_("argszIn");
	s64("ret", ret);
	if (ret < 0)
		str("errno", strerrorname_np(err));
	else
		null_("errno");
}

static void header_fields(const struct vfio_info_cap_header *h)
{
	obj("header");
	u32("id", h->id);
	u32("version", h->version);
	u32("next", h->next);
	end_obj();
}

/* A header-only or unknown cap: its struct is vfio_info_cap_header itself. */
static void cap_header_only(const struct vfio_info_cap_header *h)
{
	u32("id", h->id);
	u32("version", h->version);
	u32("next", h->next);
}

/* A cap that may sit at a misaligned offset (kernels before 6.6): copy it out before reading. */
#define CAP_COPY(type, var, buf, off) \
	type var;                      \
	memset(&var, 0, sizeof(var));  \
	memcpy(&var, (const char *)(buf) + (off), sizeof(var))

static void iommu_cap_fields(const unsigned char *buf, uint32_t off, uint32_t limit)
{
	struct vfio_info_cap_header h;
	memcpy(&h, buf + off, sizeof(h));
	obj("fields");
	switch (h.id) {
	case VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE: {
		CAP_COPY(struct vfio_iommu_type1_info_cap_iova_range, c, buf, off);
		header_fields(&c.header);
		u32("nr_iovas", c.nr_iovas);
		u32("reserved", c.reserved);
		arr("iova_ranges");
		for (uint32_t i = 0; i < c.nr_iovas; i++) {
			size_t at = off + offsetof(struct vfio_iommu_type1_info_cap_iova_range, iova_ranges) + i * sizeof(struct vfio_iova_range);
			if (at + sizeof(struct vfio_iova_range) > limit)
				break;
			struct vfio_iova_range r;
			memcpy(&r, buf + at, sizeof(r));
			obj(NULL);
			u64("start", r.start);
			u64("end", r.end);
			end_obj();
		}
		end_arr();
		break;
	}
	case VFIO_IOMMU_TYPE1_INFO_CAP_MIGRATION: {
		CAP_COPY(struct vfio_iommu_type1_info_cap_migration, c, buf, off);
		header_fields(&c.header);
		u32("flags", c.flags);
		u64("pgsize_bitmap", c.pgsize_bitmap);
		u64("max_dirty_bitmap_size", c.max_dirty_bitmap_size);
		break;
	}
	case VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL: {
		CAP_COPY(struct vfio_iommu_type1_info_dma_avail, c, buf, off);
		header_fields(&c.header);
		u32("avail", c.avail);
		break;
	}
	default:
		cap_header_only(&h);
	}
	end_obj();
}

static void region_cap_fields(const unsigned char *buf, uint32_t off, uint32_t limit)
{
	struct vfio_info_cap_header h;
	memcpy(&h, buf + off, sizeof(h));
	obj("fields");
	switch (h.id) {
	case VFIO_REGION_INFO_CAP_SPARSE_MMAP: {
		CAP_COPY(struct vfio_region_info_cap_sparse_mmap, c, buf, off);
		header_fields(&c.header);
		u32("nr_areas", c.nr_areas);
		u32("reserved", c.reserved);
		arr("areas");
		for (uint32_t i = 0; i < c.nr_areas; i++) {
			size_t at = off + offsetof(struct vfio_region_info_cap_sparse_mmap, areas) + i * sizeof(struct vfio_region_sparse_mmap_area);
			if (at + sizeof(struct vfio_region_sparse_mmap_area) > limit)
				break;
			struct vfio_region_sparse_mmap_area a;
			memcpy(&a, buf + at, sizeof(a));
			obj(NULL);
			u64("offset", a.offset);
			u64("size", a.size);
			end_obj();
		}
		end_arr();
		break;
	}
	case VFIO_REGION_INFO_CAP_TYPE: {
		CAP_COPY(struct vfio_region_info_cap_type, c, buf, off);
		header_fields(&c.header);
		u32("type", c.type);
		u32("subtype", c.subtype);
		break;
	}
	default: /* VFIO_REGION_INFO_CAP_MSIX_MAPPABLE is a header without a body */
		cap_header_only(&h);
	}
	end_obj();
}

static void device_cap_fields(const unsigned char *buf, uint32_t off, uint32_t limit)
{
	struct vfio_info_cap_header h;
	memcpy(&h, buf + off, sizeof(h));
	(void)limit;
	obj("fields");
	switch (h.id) {
#ifdef __s390x__
	case VFIO_DEVICE_INFO_CAP_ZPCI_BASE: {
		CAP_COPY(struct vfio_device_info_cap_zpci_base, c, buf, off);
		header_fields(&c.header);
		u64("start_dma", c.start_dma);
		u64("end_dma", c.end_dma);
		u32("pchid", c.pchid);
		u32("vfn", c.vfn);
		u32("fmb_length", c.fmb_length);
		u32("pft", c.pft);
		u32("gid", c.gid);
		if (h.version >= 2)
			u32("fh", c.fh);
		break;
	}
	case VFIO_DEVICE_INFO_CAP_ZPCI_GROUP: {
		CAP_COPY(struct vfio_device_info_cap_zpci_group, c, buf, off);
		header_fields(&c.header);
		u64("dasm", c.dasm);
		u64("msi_addr", c.msi_addr);
		u64("flags", c.flags);
		u32("mui", c.mui);
		u32("noi", c.noi);
		u32("maxstbl", c.maxstbl);
		u32("version", c.version);
		if (h.version >= 2) {
			u32("reserved", c.reserved);
			u32("imaxstbl", c.imaxstbl);
		}
		break;
	}
	case VFIO_DEVICE_INFO_CAP_ZPCI_UTIL: {
		CAP_COPY(struct vfio_device_info_cap_zpci_util, c, buf, off);
		header_fields(&c.header);
		u32("size", c.size);
		size_t at = off + offsetof(struct vfio_device_info_cap_zpci_util, util_str);
		hex("util_str", buf + at, at + c.size <= limit ? c.size : 0);
		break;
	}
	case VFIO_DEVICE_INFO_CAP_ZPCI_PFIP: {
		CAP_COPY(struct vfio_device_info_cap_zpci_pfip, c, buf, off);
		header_fields(&c.header);
		u32("size", c.size);
		size_t at = off + offsetof(struct vfio_device_info_cap_zpci_pfip, pfip);
		hex("pfip", buf + at, at + c.size <= limit ? c.size : 0);
		break;
	}
#endif
#ifdef VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP
	case VFIO_DEVICE_INFO_CAP_PCI_ATOMIC_COMP: {
		CAP_COPY(struct vfio_device_info_cap_pci_atomic_comp, c, buf, off);
		header_fields(&c.header);
		u32("flags", c.flags);
		u32("reserved", c.reserved);
		break;
	}
#endif
	default:
		cap_header_only(&h);
	}
	end_obj();
}

typedef void cap_printer(const unsigned char *buf, uint32_t off, uint32_t limit);

/* The chain as the kernel wrote it: offset, header, and the fields of each cap. */
static void caps(const unsigned char *buf, uint32_t bufsz, uint32_t argsz, uint32_t cap_offset, cap_printer *print)
{
	uint32_t limit = argsz < bufsz ? argsz : bufsz;
	arr("caps");
	for (uint32_t off = cap_offset, hops = 0; off && hops < 64; hops++) {
		if (off + sizeof(struct vfio_info_cap_header) > limit)
			break;
		struct vfio_info_cap_header h;
		memcpy(&h, buf + off, sizeof(h));
		obj(NULL);
		u32("offset", off);
		u32("id", h.id);
		u32("version", h.version);
		u32("next", h.next);
		print(buf, off, limit);
		end_obj();
		if (h.next <= off)
			break;
		off = h.next;
	}
	end_arr();
}

/* ---------------------------------------------------------------- the probes */

static void plain(const char *key_, const char *name, int fd, unsigned long req, unsigned long arg)
{
	errno = 0;
	int ret = ioctl(fd, req, arg);
	call_begin(key_, name, req, -1, ret, errno);
	end_obj();
}

static int group_of(const char *bdf)
{
	char path[256], link[256];
	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	const char *slash = strrchr(link, '/');
	return atoi(slash ? slash + 1 : link);
}

static void group_status(const char *key_, int gfd)
{
	struct vfio_group_status s;
	memset(&s, 0, sizeof(s));
	s.argsz = sizeof(s);
	errno = 0;
	int ret = ioctl(gfd, VFIO_GROUP_GET_STATUS, &s);
	call_begin(key_, "VFIO_GROUP_GET_STATUS", VFIO_GROUP_GET_STATUS, sizeof(s), ret, errno);
	hex("bytes", &s, sizeof(s));
	obj("fields");
	u32("argsz", s.argsz);
	u32("flags", s.flags);
	end_obj();
	end_obj();
}

static void iommu_info_reply(const char *key_, const unsigned char *buf, uint32_t bufsz, int ret, int err)
{
	struct vfio_iommu_type1_info info;
	memcpy(&info, buf, sizeof(info));
	call_begin(key_, "VFIO_IOMMU_GET_INFO", VFIO_IOMMU_GET_INFO, bufsz, ret, err);
	hex("bytes", buf, bufsz);
	obj("fields");
	u32("argsz", info.argsz);
	u32("flags", info.flags);
	u64("iova_pgsizes", info.iova_pgsizes);
	u32("cap_offset", info.cap_offset);
	end_obj();
	if (ret == 0 && (info.flags & VFIO_IOMMU_INFO_CAPS) && info.cap_offset)
		caps(buf, bufsz, info.argsz, info.cap_offset, iommu_cap_fields);
	end_obj();
}

/* argsz = sizeof, then the argsz the kernel asks for, as a C user negotiates; then too big. */
static void iommu_info(int container)
{
	uint32_t size = sizeof(struct vfio_iommu_type1_info);
	for (int attempt = 1; attempt <= 4; attempt++) {
		unsigned char *buf = calloc(1, size);
		((struct vfio_iommu_type1_info *)buf)->argsz = size;
		errno = 0;
		int ret = ioctl(container, VFIO_IOMMU_GET_INFO, buf);
		char k[64];
		snprintf(k, sizeof(k), "container VFIO_IOMMU_GET_INFO #%d", attempt);
		iommu_info_reply(k, buf, size, ret, errno);
		uint32_t asked = ((struct vfio_iommu_type1_info *)buf)->argsz;
		free(buf);
		if (ret < 0 || asked <= size)
			break;
		size = asked;
	}
	/* A too large argsz: does the kernel shrink it? */
	size = 512;
	unsigned char *big = calloc(1, size);
	((struct vfio_iommu_type1_info *)big)->argsz = size;
	errno = 0;
	int ret = ioctl(container, VFIO_IOMMU_GET_INFO, big);
	iommu_info_reply("container VFIO_IOMMU_GET_INFO oversized", big, size, ret, errno);
	free(big);
	/* Below the kernel's minsz. */
	struct vfio_iommu_type1_info tiny;
	memset(&tiny, 0, sizeof(tiny));
	tiny.argsz = 4;
	errno = 0;
	ret = ioctl(container, VFIO_IOMMU_GET_INFO, &tiny);
	call_begin("container VFIO_IOMMU_GET_INFO argsz=4", "VFIO_IOMMU_GET_INFO", VFIO_IOMMU_GET_INFO, 4, ret, errno);
	end_obj();
}

static void device_info_reply(const char *key_, const unsigned char *buf, uint32_t bufsz, int ret, int err)
{
	struct vfio_device_info info;
	memcpy(&info, buf, sizeof(info));
	call_begin(key_, "VFIO_DEVICE_GET_INFO", VFIO_DEVICE_GET_INFO, bufsz, ret, err);
	hex("bytes", buf, bufsz);
	obj("fields");
	u32("argsz", info.argsz);
	u32("flags", info.flags);
	u32("num_regions", info.num_regions);
	u32("num_irqs", info.num_irqs);
	u32("cap_offset", info.cap_offset);
	end_obj();
	if (ret == 0 && (info.flags & VFIO_DEVICE_FLAGS_CAPS) && info.cap_offset)
		caps(buf, bufsz, info.argsz, info.cap_offset, device_cap_fields);
	end_obj();
}

static void device_info(const char *bdf, int dfd, struct vfio_device_info *out)
{
	uint32_t size = sizeof(struct vfio_device_info);
	for (int attempt = 1; attempt <= 4; attempt++) {
		unsigned char *buf = calloc(1, size);
		((struct vfio_device_info *)buf)->argsz = size;
		errno = 0;
		int ret = ioctl(dfd, VFIO_DEVICE_GET_INFO, buf);
		char k[96];
		snprintf(k, sizeof(k), "device %s VFIO_DEVICE_GET_INFO #%d", bdf, attempt);
		device_info_reply(k, buf, size, ret, errno);
		memcpy(out, buf, sizeof(*out));
		uint32_t asked = out->argsz;
		free(buf);
		if (ret < 0)
			memset(out, 0, sizeof(*out));
		if (ret < 0 || asked <= size)
			break;
		size = asked;
	}
}

static void region_info(const char *bdf, int dfd, uint32_t index, struct vfio_region_info *out)
{
	uint32_t size = sizeof(struct vfio_region_info);
	memset(out, 0, sizeof(*out));
	for (int attempt = 1; attempt <= 4; attempt++) {
		unsigned char *buf = calloc(1, size);
		struct vfio_region_info *ri = (struct vfio_region_info *)buf;
		ri->argsz = size;
		ri->index = index;
		errno = 0;
		int ret = ioctl(dfd, VFIO_DEVICE_GET_REGION_INFO, buf);
		int err = errno;
		char k[96];
		snprintf(k, sizeof(k), "device %s VFIO_DEVICE_GET_REGION_INFO(%u) #%d", bdf, index, attempt);
		call_begin(k, "VFIO_DEVICE_GET_REGION_INFO", VFIO_DEVICE_GET_REGION_INFO, size, ret, err);
		hex("bytes", buf, size);
		obj("fields");
		u32("argsz", ri->argsz);
		u32("flags", ri->flags);
		u32("index", ri->index);
		u32("cap_offset", ri->cap_offset);
		u64("size", ri->size);
		u64("offset", ri->offset);
		end_obj();
		if (ret == 0 && (ri->flags & VFIO_REGION_INFO_FLAG_CAPS) && ri->cap_offset)
			caps(buf, size, ri->argsz, ri->cap_offset, region_cap_fields);
		end_obj();
		uint32_t asked = ri->argsz;
		if (ret == 0)
			memcpy(out, buf, sizeof(*out));
		free(buf);
		if (ret < 0 || asked <= size)
			break;
		size = asked;
	}
}

static void irq_info(const char *bdf, int dfd, uint32_t index)
{
	struct vfio_irq_info ii;
	memset(&ii, 0, sizeof(ii));
	ii.argsz = sizeof(ii);
	ii.index = index;
	errno = 0;
	int ret = ioctl(dfd, VFIO_DEVICE_GET_IRQ_INFO, &ii);
	char k[96];
	snprintf(k, sizeof(k), "device %s VFIO_DEVICE_GET_IRQ_INFO(%u)", bdf, index);
	call_begin(k, "VFIO_DEVICE_GET_IRQ_INFO", VFIO_DEVICE_GET_IRQ_INFO, sizeof(ii), ret, errno);
	hex("bytes", &ii, sizeof(ii));
	obj("fields");
	u32("argsz", ii.argsz);
	u32("flags", ii.flags);
	u32("index", ii.index);
	u32("count", ii.count);
	end_obj();
	end_obj();
}

/*
 * What the kernel leaves unwritten: the buffer is filled with 0xa5 after the input fields before
 * the call, so bytes the kernel does not write come back as a5 (6.1's IOMMU info pad; cap_offset
 * of a region without caps).
 */
#define UNWRITTEN 0xa5

static void prefilled_iommu_info(int container)
{
	struct vfio_iommu_type1_info probe;
	memset(&probe, 0, sizeof(probe));
	probe.argsz = sizeof(probe);
	if (ioctl(container, VFIO_IOMMU_GET_INFO, &probe))
		return;
	uint32_t size = probe.argsz > sizeof(probe) ? probe.argsz : sizeof(probe);
	unsigned char *buf = malloc(size);
	memset(buf, UNWRITTEN, size);
	((struct vfio_iommu_type1_info *)buf)->argsz = size;
	errno = 0;
	int ret = ioctl(container, VFIO_IOMMU_GET_INFO, buf);
	iommu_info_reply("container VFIO_IOMMU_GET_INFO prefilled", buf, size, ret, errno);
	free(buf);
}

static void prefilled_region_info(const char *bdf, int dfd)
{
	struct vfio_region_info ri;
	memset(&ri, UNWRITTEN, sizeof(ri));
	ri.argsz = sizeof(ri);
	ri.index = VFIO_PCI_CONFIG_REGION_INDEX;
	errno = 0;
	int ret = ioctl(dfd, VFIO_DEVICE_GET_REGION_INFO, &ri);
	char k[96];
	snprintf(k, sizeof(k), "device %s VFIO_DEVICE_GET_REGION_INFO(%u) prefilled", bdf, VFIO_PCI_CONFIG_REGION_INDEX);
	call_begin(k, "VFIO_DEVICE_GET_REGION_INFO", VFIO_DEVICE_GET_REGION_INFO, sizeof(ri), ret, errno);
	hex("bytes", &ri, sizeof(ri));
	obj("fields");
	u32("argsz", ri.argsz);
	u32("flags", ri.flags);
	u32("index", ri.index);
	u32("cap_offset", ri.cap_offset);
	u64("size", ri.size);
	u64("offset", ri.offset);
	end_obj();
	end_obj();
}

/* Feature indexes probed (numbers, so that a program built on an older header asks the same). */
#define FEATURES_PROBED 14

static void feature_probes(const char *bdf, int dfd)
{
	static const struct { uint32_t flag; const char *name; } ops[] = {
		{ VFIO_DEVICE_FEATURE_GET, "GET" },
		{ VFIO_DEVICE_FEATURE_SET, "SET" },
	};
	for (uint32_t f = 0; f < FEATURES_PROBED; f++) {
		for (size_t o = 0; o < 2; o++) {
			struct vfio_device_feature feat;
			memset(&feat, 0, sizeof(feat));
			feat.argsz = sizeof(feat);
			feat.flags = VFIO_DEVICE_FEATURE_PROBE | ops[o].flag | f;
			errno = 0;
			int ret = ioctl(dfd, VFIO_DEVICE_FEATURE, &feat);
			char k[96];
			snprintf(k, sizeof(k), "device %s VFIO_DEVICE_FEATURE(%u, PROBE|%s)", bdf, f, ops[o].name);
			call_begin(k, "VFIO_DEVICE_FEATURE", VFIO_DEVICE_FEATURE, sizeof(feat), ret, errno);
			hex("bytes", &feat, sizeof(feat));
			obj("fields");
			u32("argsz", feat.argsz);
			u32("flags", feat.flags);
			end_obj();
			end_obj();
		}
	}
}

/* An ioctl number of VFIO's type that no kernel defines (VFIO_BASE + 99). */
#define VFIO_UNKNOWN_IOCTL _IO(VFIO_TYPE, VFIO_BASE + 99)

/* ---------------------------------------------------------------- edu */

struct edu {
	int dfd;
	uint64_t bar0, config;
};

static int edu_read32(struct edu *e, uint64_t reg, uint32_t *v)
{
	return pread(e->dfd, v, 4, e->bar0 + reg) == 4 ? 0 : -1;
}
static int edu_write32(struct edu *e, uint64_t reg, uint32_t v)
{
	return pwrite(e->dfd, &v, 4, e->bar0 + reg) == 4 ? 0 : -1;
}
static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void edu_drive(int container, int dfd)
{
	struct vfio_region_info bar0, config;
	/* region_info prints its calls; these are quiet re-reads under the same device. */
	memset(&bar0, 0, sizeof(bar0));
	bar0.argsz = sizeof(bar0);
	bar0.index = VFIO_PCI_BAR0_REGION_INDEX;
	memset(&config, 0, sizeof(config));
	config.argsz = sizeof(config);
	config.index = VFIO_PCI_CONFIG_REGION_INDEX;
	obj("edu");
	if (ioctl(dfd, VFIO_DEVICE_GET_REGION_INFO, &bar0) || ioctl(dfd, VFIO_DEVICE_GET_REGION_INFO, &config)) {
		str("error", "REGION_INFO failed");
		end_obj();
		return;
	}
	struct edu e = { dfd, bar0.offset, config.offset };
	uint16_t cmd = 0;
	uint16_t ids[2] = { 0, 0 };
	if (pread(dfd, ids, 4, e.config) == 4) {
		u32("vendor", ids[0]);
		u32("device", ids[1]);
	}
	if (pread(dfd, &cmd, 2, e.config + 4) == 2) {
		cmd |= 0x4; /* PCI_COMMAND_MASTER */
		if (pwrite(dfd, &cmd, 2, e.config + 4) == 2 && pread(dfd, &cmd, 2, e.config + 4) == 2)
			u32("command", cmd);
	}
	uint32_t v = 0;
	if (!edu_read32(&e, 0x00, &v))
		u32("id", v);
	if (!edu_write32(&e, 0x04, 0x12345678) && !edu_read32(&e, 0x04, &v))
		u32("liveness", v);
	if (!edu_write32(&e, 0x08, 10)) {
		uint32_t status = 1;
		for (int i = 0; i < 1000 && (status & 1); i++) {
			if (edu_read32(&e, 0x20, &status))
				break;
			if (status & 1)
				sleep_ms(1);
		}
		if (!edu_read32(&e, 0x08, &v))
			u32("factorial10", v);
	}
	/* DMA: a page mapped at IOVA 1 MiB (below edu's 28-bit mask), copied to edu and back. */
	long page = sysconf(_SC_PAGESIZE);
	unsigned char *mem = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t iova = 0x100000;
	struct vfio_iommu_type1_dma_map map;
	memset(&map, 0, sizeof(map));
	map.argsz = sizeof(map);
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)mem;
	map.iova = iova;
	map.size = page;
	for (int i = 0; i < 256; i++)
		mem[i] = (unsigned char)(i * 7 + 3);
	errno = 0;
	int ret = mem == MAP_FAILED ? -1 : ioctl(container, VFIO_IOMMU_MAP_DMA, &map);
	s64("dmaMapRet", ret);
	if (ret == 0) {
		/* RAM -> edu buffer (0x40000), then edu buffer -> RAM + 256 */
		uint32_t cmdreg = 1;
		int ok = !edu_write32(&e, 0x80, (uint32_t)iova) && !edu_write32(&e, 0x88, 0x40000) && !edu_write32(&e, 0x90, 256) &&
			 !edu_write32(&e, 0x98, 1);
		for (int i = 0; ok && i < 5000 && (cmdreg & 1); i++) {
			if (edu_read32(&e, 0x98, &cmdreg))
				ok = 0;
			else if (cmdreg & 1)
				sleep_ms(1);
		}
		cmdreg = 1;
		ok = ok && !edu_write32(&e, 0x80, 0x40000) && !edu_write32(&e, 0x88, (uint32_t)(iova + 256)) && !edu_write32(&e, 0x90, 256) &&
		     !edu_write32(&e, 0x98, 3);
		for (int i = 0; ok && i < 5000 && (cmdreg & 1); i++) {
			if (edu_read32(&e, 0x98, &cmdreg))
				ok = 0;
			else if (cmdreg & 1)
				sleep_ms(1);
		}
		s64("dmaRoundTrip", ok && memcmp(mem, mem + 256, 256) == 0);
		struct vfio_iommu_type1_dma_unmap unmap;
		memset(&unmap, 0, sizeof(unmap));
		unmap.argsz = sizeof(unmap);
		unmap.iova = iova;
		unmap.size = page;
		errno = 0;
		ret = ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap);
		s64("dmaUnmapRet", ret);
		u64("dmaUnmapSize", unmap.size);
	} else {
		str("dmaMapErrno", strerrorname_np(errno));
	}
	end_obj();
}

/* ---------------------------------------------------------------- main */

int main(int argc, char **argv)
{
	const char *bdfs[MAX_DEVICES];
	int n = 0;
	const char *edu_bdf = NULL;
	int groups[MAX_DEVICES], iommu_set = 0, edu_dfd = -1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--edu") && i + 1 < argc)
			edu_bdf = argv[++i];
		else if (n < MAX_DEVICES)
			bdfs[n++] = argv[i];
	}
	struct utsname u;
	uname(&u);
	first[0] = 1;
	obj(NULL);
	str("program", "c");
	str("release", u.release);
	str("machine", u.machine);
	obj("sizes");
	u32("vfio_info_cap_header", sizeof(struct vfio_info_cap_header));
	u32("vfio_group_status", sizeof(struct vfio_group_status));
	u32("vfio_device_info", sizeof(struct vfio_device_info));
	u32("vfio_region_info", sizeof(struct vfio_region_info));
	u32("vfio_irq_info", sizeof(struct vfio_irq_info));
	u32("vfio_iommu_type1_info", sizeof(struct vfio_iommu_type1_info));
	u32("vfio_device_feature", sizeof(struct vfio_device_feature));
	end_obj();
	arr("calls");

	int container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	call_begin("container open", "open", 0, -1, container < 0 ? -1 : 0, errno);
	end_obj();
	if (container < 0)
		goto out;
	plain("container VFIO_GET_API_VERSION", "VFIO_GET_API_VERSION", container, VFIO_GET_API_VERSION, 0);
	for (unsigned long ext = 1; ext <= 10; ext++) {
		char k[64];
		snprintf(k, sizeof(k), "container VFIO_CHECK_EXTENSION(%lu)", ext);
		plain(k, "VFIO_CHECK_EXTENSION", container, VFIO_CHECK_EXTENSION, ext);
	}

	for (int i = 0; i < n; i++) {
		char k[96];
		int g = group_of(bdfs[i]);
		char path[64];
		snprintf(path, sizeof(path), "/dev/vfio/%d", g);
		errno = 0;
		groups[i] = open(path, O_RDWR | O_CLOEXEC);
		snprintf(k, sizeof(k), "group %s open", bdfs[i]);
		call_begin(k, "open", 0, -1, groups[i] < 0 ? -1 : 0, errno);
		s64("group", g);
		end_obj();
		if (groups[i] < 0)
			continue;
		errno = 0;
		int again = open(path, O_RDWR | O_CLOEXEC);
		snprintf(k, sizeof(k), "group %s open again", bdfs[i]);
		call_begin(k, "open", 0, -1, again < 0 ? -1 : 0, errno);
		end_obj();
		if (again >= 0)
			close(again);
		snprintf(k, sizeof(k), "group %s VFIO_GROUP_GET_STATUS", bdfs[i]);
		group_status(k, groups[i]);
		snprintf(k, sizeof(k), "group %s VFIO_GROUP_GET_DEVICE_FD before SET_CONTAINER", bdfs[i]);
		errno = 0;
		int early = ioctl(groups[i], VFIO_GROUP_GET_DEVICE_FD, bdfs[i]);
		call_begin(k, "VFIO_GROUP_GET_DEVICE_FD", VFIO_GROUP_GET_DEVICE_FD, -1, early < 0 ? -1 : 0, errno);
		end_obj();
		if (early >= 0)
			close(early);
		errno = 0;
		int ret = ioctl(groups[i], VFIO_GROUP_SET_CONTAINER, &container);
		snprintf(k, sizeof(k), "group %s VFIO_GROUP_SET_CONTAINER", bdfs[i]);
		call_begin(k, "VFIO_GROUP_SET_CONTAINER", VFIO_GROUP_SET_CONTAINER, -1, ret, errno);
		end_obj();
		if (!iommu_set) {
			plain("container VFIO_SET_IOMMU(VFIO_TYPE1v2_IOMMU)", "VFIO_SET_IOMMU", container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU);
			iommu_set = 1;
		}
		snprintf(k, sizeof(k), "group %s VFIO_GROUP_GET_STATUS after SET_CONTAINER", bdfs[i]);
		group_status(k, groups[i]);
	}
	if (iommu_set) {
		iommu_info(container);
		prefilled_iommu_info(container);
		plain("container unknown ioctl", "VFIO_BASE+99", container, VFIO_UNKNOWN_IOCTL, 0);
	}

	for (int i = 0; i < n; i++) {
		if (groups[i] < 0)
			continue;
		char k[96];
		errno = 0;
		int bogus = ioctl(groups[i], VFIO_GROUP_GET_DEVICE_FD, "0000:ff:1f.7");
		snprintf(k, sizeof(k), "group %s VFIO_GROUP_GET_DEVICE_FD(no such device)", bdfs[i]);
		call_begin(k, "VFIO_GROUP_GET_DEVICE_FD", VFIO_GROUP_GET_DEVICE_FD, -1, bogus < 0 ? -1 : 0, errno);
		end_obj();
		errno = 0;
		int dfd = ioctl(groups[i], VFIO_GROUP_GET_DEVICE_FD, bdfs[i]);
		snprintf(k, sizeof(k), "device %s VFIO_GROUP_GET_DEVICE_FD", bdfs[i]);
		call_begin(k, "VFIO_GROUP_GET_DEVICE_FD", VFIO_GROUP_GET_DEVICE_FD, -1, dfd < 0 ? -1 : 0, errno);
		end_obj();
		if (dfd < 0)
			continue;
		struct vfio_device_info di;
		device_info(bdfs[i], dfd, &di);
		for (uint32_t r = 0; r < di.num_regions; r++) {
			struct vfio_region_info ri;
			region_info(bdfs[i], dfd, r, &ri);
		}
		for (uint32_t q = 0; q < di.num_irqs; q++)
			irq_info(bdfs[i], dfd, q);
		feature_probes(bdfs[i], dfd);
		snprintf(k, sizeof(k), "device %s unknown ioctl", bdfs[i]);
		plain(k, "VFIO_BASE+99", dfd, VFIO_UNKNOWN_IOCTL, 0);
		prefilled_region_info(bdfs[i], dfd);
		if (edu_bdf && !strcmp(edu_bdf, bdfs[i]) && edu_dfd < 0)
			edu_dfd = dfd;
		else
			close(dfd);
	}
out:
	end_arr();
	if (edu_dfd >= 0)
		edu_drive(container, edu_dfd);
	end_obj();
	putchar('\n');
	return 0;
}
