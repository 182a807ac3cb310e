// SPDX-License-Identifier: GPL-2.0
/*
 * daxmap - map a device-dax character device and check how it behaves.
 *
 * A static helper for the guest tests.  Exit status: 0 pass, 1 fail (one
 * line on stderr says why), 2 usage error.  Every mapping of the device
 * is placed at an address aligned to ALIGN: a larger PROT_NONE region is
 * reserved first and the device is mapped MAP_FIXED inside it, because
 * device-dax refuses VMAs whose start or end is not aligned to the
 * device's alignment.
 *
 * Build: gcc -O2 -Wall -Wextra -static -o daxmap daxmap.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

#define PG 4096UL

static const char *prog = "daxmap";

static void usage(void)
{
	fprintf(stderr,
		"usage: %s data DEV SIZE ALIGN\n"
		"       %s private DEV ALIGN\n"
		"       %s unaligned DEV ALIGN\n"
		"       %s pagesize DEV SIZE ALIGN\n"
		"       %s hwpoison DEV SIZE ALIGN OFFSET [MAPOFF]\n"
		"       %s offset DEV ALIGN OFFSET\n"
		"       %s gup DEV SIZE ALIGN MODE OFFSET NR\n"
		"       %s gupwait SIZE ALIGN MODE OFFSET NR   (DEV: first line of stdin)\n"
		"       %s odirect DEV SIZE ALIGN BLKDEV OFFSET LEN\n"
		"       %s mremap DEV SIZE ALIGN\n"
		"       %s vmsplice DEV SIZE ALIGN OFFSET\n"
		"       %s race DEV ALIGN BLKDEV SECS\n"
		"       %s hold DEV SIZE ALIGN   (waits for a line on stdin)\n"
		"       %s pinram START END      (waits for a line on stdin)\n"
		"DEV is /dev/daxX.Y; SIZE, ALIGN, OFFSET, MAPOFF, LEN take K/M/G suffixes.\n"
		"MODE (gup): pin-fast, pin, pin-longterm, get-fast or get.\n"
		"Exit: 0 pass, 1 fail (reason on stderr), 2 usage error.\n",
		prog, prog, prog, prog, prog, prog, prog, prog, prog, prog, prog,
		prog, prog, prog);
	exit(2);
}

static void __attribute__((format(printf, 1, 2), noreturn)) fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: FAIL: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Parse a size with an optional K/M/G/T suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		shift = 10;
		break;
	case 'm': case 'M':
		shift = 20;
		break;
	case 'g': case 'G':
		shift = 30;
		break;
	case 't': case 'T':
		shift = 40;
		break;
	default:
		return -1;
	}
	if (*end && end[1])
		return -1;
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static uint64_t arg_size(const char *s)
{
	uint64_t v;

	if (parse_size(s, &v))
		usage();
	return v;
}

static uint64_t arg_align(const char *s)
{
	uint64_t a = arg_size(s);

	/* A page multiple and a power of two, as device-dax aligns are. */
	if (a < PG || (a & (a - 1)))
		usage();
	return a;
}

/* SIZE must be a non-zero multiple of ALIGN for the mapping to be legal. */
static uint64_t arg_len(const char *s, uint64_t align)
{
	uint64_t v = arg_size(s);

	if (!v || v % align || v > SIZE_MAX / 2)
		usage();
	return v;
}

static int open_dev(const char *dev)
{
	struct stat st;
	int fd;

	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		fail("open %s: %s", dev, strerror(errno));
	if (fstat(fd, &st))
		fail("fstat %s: %s", dev, strerror(errno));
	if (!S_ISCHR(st.st_mode))
		fail("%s is not a character device", dev);
	return fd;
}

/*
 * Reserve len + (extra + 1) * align bytes of PROT_NONE address space and
 * return the first align-aligned address in it, skipped forward by
 * @skip * align.  @rbase and @rlen return the reservation.
 */
static char *reserve(uint64_t len, uint64_t align, unsigned int skip,
		     char **rbase, size_t *rlen)
{
	uintptr_t a;
	char *r;

	*rlen = len + (uint64_t)(skip + 1) * align;
	r = mmap(NULL, *rlen, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		 -1, 0);
	if (r == MAP_FAILED)
		fail("reserve %zu bytes of address space: %s", *rlen, strerror(errno));
	*rbase = r;
	a = ((uintptr_t)r + align - 1) & ~(uintptr_t)(align - 1);
	return (char *)(a + (uintptr_t)skip * align);
}

/* Give back the parts of a reservation around [map, map + len). */
static void trim(char *rbase, size_t rlen, char *map, uint64_t len)
{
	char *rend = rbase + rlen;

	if (map > rbase && munmap(rbase, map - rbase))
		fail("munmap reservation head: %s", strerror(errno));
	if (map + len < rend && munmap(map + len, rend - (map + len)))
		fail("munmap reservation tail: %s", strerror(errno));
}

/*
 * Map @len bytes of @fd at file offset @off at an address aligned to
 * @align.  Returns MAP_FAILED with errno set on failure, in
 * which case the reservation is released.
 */
static char *map_at_align(int fd, uint64_t len, uint64_t align, int flags,
			  off_t off)
{
	size_t rlen;
	char *rbase, *want, *p;
	int err;

	want = reserve(len, align, 0, &rbase, &rlen);
	p = mmap(want, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, fd, off);
	if (p == MAP_FAILED) {
		err = errno;
		munmap(rbase, rlen);
		errno = err;
		return MAP_FAILED;
	}
	if (p != want)
		fail("MAP_FIXED mapping at %p landed at %p", (void *)want, (void *)p);
	trim(rbase, rlen, p, len);
	return p;
}

/* ------------------------------------------------ guarded memory access */

static sigjmp_buf guard_env;
static volatile sig_atomic_t guard_armed;
static volatile sig_atomic_t sig_no;
static volatile int sig_code;
static void *volatile sig_addr;
static volatile short sig_lsb;

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!guard_armed) {
		/* Not expected: die of it as if there were no handler. */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	guard_armed = 0;
	sig_no = sig;
	sig_code = si->si_code;
	sig_addr = si->si_addr;
	sig_lsb = si->si_addr_lsb;
	siglongjmp(guard_env, 1);
}

static void install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) || sigaction(SIGSEGV, &sa, NULL))
		fail("sigaction: %s", strerror(errno));
}

/*
 * Fault in one byte of every @step bytes of [p, p + len), reading it
 * through a volatile pointer.  Returns 0, or -1 with sig_* describing
 * the signal and *@where the offset that raised it.
 */
static int touch(char *p, uint64_t len, uint64_t step, uint64_t *where)
{
	static volatile uint64_t off;

	install_handlers();
	off = 0;
	if (sigsetjmp(guard_env, 1)) {
		*where = off;
		return -1;
	}
	guard_armed = 1;
	for (off = 0; off < len; off += step)
		(void)*(volatile char *)(p + off);
	guard_armed = 0;
	return 0;
}

static const char *signame(int sig)
{
	return sig == SIGBUS ? "SIGBUS" : sig == SIGSEGV ? "SIGSEGV" : "signal";
}

static void touch_or_fail(char *p, uint64_t len, uint64_t step)
{
	uint64_t where;

	if (touch(p, len, step, &where))
		fail("%s (code %d) touching offset %#" PRIx64, signame(sig_no),
		     sig_code, where);
}

/* ----------------------------------------------------------------- data */

/* splitmix64: a cheap, well-mixed word for every (seed, offset). */
static uint64_t pattern(uint64_t seed, uint64_t off)
{
	uint64_t z = seed + off * 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The three words checked in each 4K page: start, middle and end. */
static const uint64_t word_off[3] = { 0, PG / 2, PG - 8 };

/* Write pattern(seed, offset) into the three checked words of each 4K page. */
static void stamp_words(char *p, uint64_t len, uint64_t seed)
{
	uint64_t pg;
	int i;

	for (pg = 0; pg < len; pg += PG)
		for (i = 0; i < 3; i++)
			*(uint64_t *)(p + pg + word_off[i]) = pattern(seed, pg + word_off[i]);
}

/* The first checked word of [p, p + len) that stamp_words() did not write, or -1. */
static int64_t bad_word(const char *p, uint64_t len, uint64_t seed)
{
	uint64_t pg;
	int i;

	for (pg = 0; pg < len; pg += PG)
		for (i = 0; i < 3; i++)
			if (*(const uint64_t *)(p + pg + word_off[i]) != pattern(seed, pg + word_off[i]))
				return pg + word_off[i];
	return -1;
}

static int cmd_data(int argc, char **argv)
{
	static volatile uint64_t off, words;
	uint64_t len, align, seed, pg, want, got;
	struct timespec ts;
	char *p, *q, *hold;
	int fd, i;

	if (argc != 5)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);

	if (clock_gettime(CLOCK_REALTIME, &ts))
		fail("clock_gettime: %s", strerror(errno));
	words = 0;
	seed = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)ts.tv_nsec ^
	       ((uint64_t)getpid() << 16);

	fd = open_dev(argv[2]);
	p = map_at_align(fd, len, align, MAP_SHARED, 0);
	if (p == MAP_FAILED)
		fail("mmap %s len %#" PRIx64 " align %#" PRIx64 ": %s", argv[2],
		     len, align, strerror(errno));

	install_handlers();
	if (sigsetjmp(guard_env, 1))
		fail("%s (code %d) writing offset %#" PRIx64, signame(sig_no),
		     sig_code, off);
	guard_armed = 1;
	for (pg = 0; pg < len; pg += PG) {
		for (i = 0; i < 3; i++) {
			off = pg + word_off[i];
			*(volatile uint64_t *)(p + off) = pattern(seed, off);
		}
	}
	guard_armed = 0;
	if (munmap(p, len))
		fail("munmap: %s", strerror(errno));
	if (close(fd))
		fail("close: %s", strerror(errno));

	/*
	 * A fresh open and a different address: only the device has the
	 * data.  Keep the old range occupied so the new mapping cannot
	 * land there again.
	 */
	hold = mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS |
		    MAP_NORESERVE | MAP_FIXED, -1, 0);
	if (hold == MAP_FAILED)
		fail("placeholder mmap: %s", strerror(errno));
	fd = open_dev(argv[2]);
	q = map_at_align(fd, len, align, MAP_SHARED, 0);
	if (q == MAP_FAILED)
		fail("second mmap %s: %s", argv[2], strerror(errno));
	if (q == p)
		fail("second mapping reused address %p", (void *)q);
	if (munmap(hold, len))
		fail("munmap placeholder: %s", strerror(errno));

	if (sigsetjmp(guard_env, 1))
		fail("%s (code %d) reading offset %#" PRIx64, signame(sig_no),
		     sig_code, off);
	guard_armed = 1;
	for (pg = 0; pg < len; pg += PG) {
		for (i = 0; i < 3; i++) {
			off = pg + word_off[i];
			got = *(volatile uint64_t *)(q + off);
			want = pattern(seed, off);
			if (got != want) {
				guard_armed = 0;
				fail("mismatch at offset %#" PRIx64 ": got %#" PRIx64
				     " want %#" PRIx64, (uint64_t)off, got, want);
			}
			words = words + 1;
		}
	}
	guard_armed = 0;
	if (munmap(q, len))
		fail("munmap: %s", strerror(errno));
	close(fd);
	printf("ok %" PRIu64 " words\n", (uint64_t)words);
	return 0;
}

/* -------------------------------------------------------------- private */

/* check_vma() refuses any mapping without VM_MAYSHARE with -EINVAL. */
static int cmd_private(int argc, char **argv)
{
	uint64_t align;
	char *p;
	int fd;

	if (argc != 4)
		usage();
	align = arg_align(argv[3]);
	fd = open_dev(argv[2]);
	p = map_at_align(fd, align, align, MAP_PRIVATE, 0);
	if (p != MAP_FAILED)
		fail("MAP_PRIVATE mmap of %s succeeded", argv[2]);
	if (errno != EINVAL)
		fail("MAP_PRIVATE mmap failed with %s, want EINVAL", strerror(errno));
	printf("ok private mmap: EINVAL\n");
	close(fd);
	return 0;
}

/* ------------------------------------------------------------ unaligned */

/* Expect an mmap to fail with EINVAL; one line of report either way. */
static void expect_einval(const char *what, char *p, uint64_t len)
{
	if (p != MAP_FAILED) {
		munmap(p, len);
		fail("%s: mmap succeeded, want EINVAL", what);
	}
	if (errno != EINVAL)
		fail("%s: mmap failed with %s, want EINVAL", what, strerror(errno));
	printf("ok %s: EINVAL\n", what);
}

/*
 * What 5.10 device-dax does with misaligned requests (drivers/dax/device.c):
 *
 *  - check_vma(), called from dax_mmap() and from every fault, refuses a
 *    VMA whose vm_start or vm_end is not a multiple of the device align
 *    (EINVAL at mmap, VM_FAULT_SIGBUS at fault).  It does NOT look at
 *    vm_pgoff: the file offset is never checked against the align.
 *  - dax_get_unmapped_area() (only without an address hint) picks an
 *    address congruent to the file offset modulo align, when the range
 *    is long enough to hold one aligned block past the offset.  For an
 *    offset that is not align-aligned that address is unaligned, so
 *    check_vma() then fails the mmap with EINVAL.
 *  - A split of the VMA at an address not aligned to align (partial
 *    munmap/mprotect) is refused by dev_dax_split() with EINVAL.
 *  - With MAP_FIXED at an aligned address, an unaligned file offset is
 *    accepted.  The PMD/PUD fault then computes the physical address of
 *    the offset, and pfn_pmd()/pfn_pud() drop its low bits: the VMA maps
 *    the align-aligned device block containing the offset, i.e. it
 *    silently aliases an earlier part of the device.  If the device has
 *    no room for a full block past the offset, the fault is SIGBUS.
 *
 * The test asserts exactly this; the last case passes on either the
 * aliasing or SIGBUS, and fails if the offset was honoured (impossible
 * without a 4K mapping) or anything else was read.
 */
static int cmd_unaligned(int argc, char **argv)
{
	uint64_t align, m0, m1, where, got;
	size_t rlen;
	char *p, *want, *rbase;
	int fd;

	if (argc != 4)
		usage();
	align = arg_align(argv[3]);
	if (align <= PG)
		usage();
	fd = open_dev(argv[2]);

	/* a, b: length not a multiple of align -> vm_end unaligned. */
	p = map_at_align(fd, align - PG, align, MAP_SHARED, 0);
	expect_einval("len=align-4K", p, align - PG);
	p = map_at_align(fd, align + PG, align, MAP_SHARED, 0);
	expect_einval("len=align+4K", p, align + PG);

	/* c: MAP_FIXED at an address that is 4K- but not align-aligned. */
	want = reserve(align, align, 1, &rbase, &rlen);
	p = mmap(want + PG, align, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 fd, 0);
	if (p == MAP_FAILED) {
		int err = errno;

		munmap(rbase, rlen);
		errno = err;
	} else {
		munmap(rbase, rlen);
	}
	expect_einval("addr=align+4K", p, 0);

	/* d: offset 4K, no hint: get_unmapped_area picks addr == 4K mod align. */
	p = mmap(NULL, 2 * align, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PG);
	expect_einval("off=4K,len=2*align,nohint", p, 2 * align);

	/* e: partial munmap at an unaligned address splits the VMA: refused. */
	p = map_at_align(fd, align, align, MAP_SHARED, 0);
	if (p == MAP_FAILED)
		fail("aligned mmap: %s", strerror(errno));
	if (munmap(p + PG, PG) == 0)
		fail("munmap of 4K inside an align %#" PRIx64 " VMA succeeded", align);
	if (errno != EINVAL)
		fail("unaligned munmap failed with %s, want EINVAL", strerror(errno));
	printf("ok munmap(addr+4K, 4K): EINVAL\n");

	/* f: MAP_FIXED at an aligned address with offset 4K. */
	m0 = 0xa11a5000d0000000ULL ^ (uint64_t)getpid();
	m1 = m0 ^ 0xffffffffULL;
	if (touch(p, align, align, &where))
		fail("%s touching the aligned mapping", signame(sig_no));
	*(volatile uint64_t *)p = m0;
	*(volatile uint64_t *)(p + PG) = m1;
	if (munmap(p, align))
		fail("munmap: %s", strerror(errno));

	p = map_at_align(fd, align, align, MAP_SHARED, PG);
	if (p == MAP_FAILED) {
		if (errno != EINVAL)
			fail("off=4K MAP_FIXED: mmap failed with %s", strerror(errno));
		printf("ok off=4K,fixed: EINVAL\n");
		close(fd);
		return 0;
	}
	install_handlers();
	if (sigsetjmp(guard_env, 1)) {
		if (sig_no != SIGBUS)
			fail("off=4K,fixed: %s on access", signame(sig_no));
		printf("ok off=4K,fixed: mmap ok, access SIGBUS\n");
		munmap(p, align);
		close(fd);
		return 0;
	}
	guard_armed = 1;
	got = *(volatile uint64_t *)p;
	guard_armed = 0;
	munmap(p, align);
	close(fd);
	if (got == m0) {
		printf("ok off=4K,fixed: mmap ok, maps device offset 0 (aliased block)\n");
		return 0;
	}
	if (got == m1)
		fail("off=4K,fixed: reads device offset 4K, want alias of offset 0 or SIGBUS");
	fail("off=4K,fixed: read %#" PRIx64 ", neither offset 0 (%#" PRIx64
	     ") nor 4K (%#" PRIx64 ")", got, m0, m1);
}

/* ------------------------------------------------------------- pagesize */

/* KernelPageSize (kB) of the VMA that starts at @p, from /proc/self/smaps. */
static long smaps_kernel_pagesize(const void *p)
{
	char line[512];
	unsigned long start, end;
	int in_vma = 0;
	long kb = -1;
	FILE *f;

	f = fopen("/proc/self/smaps", "r");
	if (!f)
		fail("open /proc/self/smaps: %s", strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in_vma = start == (unsigned long)p;
			continue;
		}
		if (in_vma && sscanf(line, "KernelPageSize: %ld kB", &kb) == 1)
			break;
	}
	fclose(f);
	return kb;
}

/*
 * Open @dev, map @len bytes of it from file offset @off MAP_SHARED at an
 * @align-aligned address and fault every @align unit in; exits on any
 * failure.
 */
static char *map_touched(const char *dev, uint64_t len, uint64_t align,
			 uint64_t off, int *fdp)
{
	char *p;

	*fdp = open_dev(dev);
	p = map_at_align(*fdp, len, align, MAP_SHARED, (off_t)off);
	if (p == MAP_FAILED)
		fail("mmap %s at offset %#" PRIx64 ": %s", dev, off, strerror(errno));
	touch_or_fail(p, len, align);
	return p;
}

static int cmd_pagesize(int argc, char **argv)
{
	uint64_t len, align;
	char *p;
	long kb;
	int fd;

	if (argc != 5)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);
	p = map_touched(argv[2], len, align, 0, &fd);
	kb = smaps_kernel_pagesize(p);
	if (kb < 0)
		fail("no KernelPageSize for the mapping at %p in /proc/self/smaps",
		     (void *)p);
	printf("%ld\n", kb);
	munmap(p, len);
	close(fd);
	return 0;
}

/* ------------------------------------------------------------- hwpoison */

/*
 * Poison the 4K page at OFFSET of a mapping of SIZE bytes that starts at
 * file offset MAPOFF (default 0, a multiple of ALIGN): the device page is
 * the one at MAPOFF + OFFSET, and with a MAPOFF the kernel has to account
 * for the mapping's vm_pgoff to find the process and the address.
 */
static int cmd_hwpoison(int argc, char **argv)
{
	static volatile int mret, merr;
	uint64_t len, align, off, mapoff = 0, where;
	char *p;
	int fd;

	if (argc != 6 && argc != 7)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);
	off = arg_size(argv[5]);
	if (argc == 7)
		mapoff = arg_size(argv[6]);
	if (off % PG || off >= len || mapoff % align || mapoff > INT64_MAX - len)
		usage();
	p = map_touched(argv[2], len, align, mapoff, &fd);
	if (touch(p + off, PG, PG, &where))
		fail("%s touching offset %#" PRIx64, signame(sig_no), off);

	/*
	 * memory_failure_dev_pagemap() sets MF_ACTION_REQUIRED, so the
	 * caller of madvise() itself gets SIGBUS (BUS_MCEERR_AR) on return
	 * from the syscall; the read below is the second chance.
	 */
	install_handlers();
	mret = 0;
	merr = 0;
	if (sigsetjmp(guard_env, 1)) {
		if (sig_no != SIGBUS)
			fail("%s (code %d) after MADV_HWPOISON", signame(sig_no),
			     sig_code);
		printf("sigbus code=%d addr_off=%td lsb=%d\n", sig_code,
		       (char *)sig_addr - p, sig_lsb);
		return 0;
	}
	guard_armed = 1;
	mret = madvise(p + off, PG, MADV_HWPOISON);
	merr = mret ? errno : 0;
	(void)*(volatile char *)(p + off);
	guard_armed = 0;
	printf("nosig madvise=%d/%d\n", mret, merr);
	fail("no SIGBUS after MADV_HWPOISON (madvise returned %d, errno %d: %s)",
	     mret, merr, strerror(merr));
}

/* --------------------------------------------------------------- offset */

/*
 * Stamp of the 4K page at device offset @off: the offset itself, tagged
 * in the high bits so that a page that was never stamped (zeroes, or
 * another test's data) cannot pass for the page at offset 0.
 */
#define STAMP_TAG	UINT64_C(0x57a3900000000000)
#define STAMP_MASK	UINT64_C(0xfffff00000000000)

static uint64_t stamp(uint64_t off)
{
	return STAMP_TAG | off;
}

/* Print a word read back: the offset it stamps, or its raw value. */
static void print_word(const char *name, uint64_t v)
{
	if ((v & STAMP_MASK) == STAMP_TAG)
		printf(" %s=%#" PRIx64, name, v & ~STAMP_MASK);
	else
		printf(" %s=raw:%#" PRIx64, name, v);
}

/*
 * Map ALIGN bytes of the device at file offset OFFSET, at an aligned
 * address (MAP_FIXED in a reservation), and report what happens:
 *
 *   einval                          mmap() refused the offset (exit 0)
 *   mapped ok                       the mapping shows the device from
 *                                   OFFSET on (exit 0)
 *   mapped wrong-data at=+X got=G want=W
 *                                   it shows other data (exit 1)
 *   mapped sigbus at=+X             access raised SIGBUS (exit 1)
 *
 * Before that, every 4K page of the device that such a mapping could
 * show (from 0 to the end of the aligned block that holds
 * OFFSET + ALIGN - 4K) gets its device offset stamped in its first word,
 * through a mapping at offset 0.  The new mapping is then checked at +0
 * and +ALIGN-4K.  A device-dax fault maps the whole aligned block behind
 * the faulting address, so a kernel that accepts an unaligned offset
 * shows the aligned block that contains it: wrong data.
 */
static int cmd_offset(int argc, char **argv)
{
	static volatile uint64_t o;
	static volatile int i;
	uint64_t align, off, stamp_len, at[2], got, want;
	char *p;
	int fd;

	if (argc != 5)
		usage();
	align = arg_align(argv[3]);
	off = arg_size(argv[4]);
	if (off % PG || off > SIZE_MAX / 4)
		usage();
	stamp_len = (off + 2 * align - 1) / align * align;

	fd = open_dev(argv[2]);
	p = map_at_align(fd, stamp_len, align, MAP_SHARED, 0);
	if (p == MAP_FAILED)
		fail("mmap %#" PRIx64 " bytes at offset 0: %s", stamp_len,
		     strerror(errno));
	install_handlers();
	if (sigsetjmp(guard_env, 1))
		fail("%s (code %d) stamping offset %#" PRIx64
		     " (device smaller than %#" PRIx64 "?)", signame(sig_no),
		     sig_code, (uint64_t)o, stamp_len);
	guard_armed = 1;
	for (o = 0; o < stamp_len; o += PG)
		*(volatile uint64_t *)(p + o) = stamp(o);
	guard_armed = 0;
	if (munmap(p, stamp_len))
		fail("munmap: %s", strerror(errno));

	p = map_at_align(fd, align, align, MAP_SHARED, (off_t)off);
	if (p == MAP_FAILED) {
		if (errno != EINVAL)
			fail("mmap at offset %#" PRIx64 ": %s, want success or EINVAL",
			     off, strerror(errno));
		printf("einval\n");
		close(fd);
		return 0;
	}

	at[0] = 0;
	at[1] = align - PG;
	install_handlers();
	i = 0;
	if (sigsetjmp(guard_env, 1)) {
		printf("mapped sigbus at=+%#" PRIx64 "\n", at[i]);
		return 1;
	}
	for (i = 0; i < 2; i++) {
		guard_armed = 1;
		got = *(volatile uint64_t *)(p + at[i]);
		guard_armed = 0;
		want = stamp(off + at[i]);
		if (got != want) {
			printf("mapped wrong-data at=+%#" PRIx64, at[i]);
			print_word("got", got);
			print_word("want", want);
			printf("\n");
			return 1;
		}
	}
	munmap(p, align);
	close(fd);
	printf("mapped ok\n");
	return 0;
}

/* ------------------------------------------------------------------ gup */

#define GUP_FILE "/sys/kernel/debug/dax_pageinfo/gup"

/*
 * Map SIZE bytes of the device, write-fault all of it (a read fault maps
 * a device-dax PMD read-only and FOLL_WRITE gup-fast would then leave it
 * to the slow path), then have the test module pin or get NR pages from
 * the mapping's OFFSET in this process (dax_pageinfo "gup", see
 * guest/kmod/README.md) and print the module's one-line report:
 *
 *   ret=<R> held_refcount=<A> after_refcount=<B>
 *
 * Exit 0 whatever gup returned; 1 if the module refused the request.
 */
static int cmd_gup(int argc, char **argv)
{
	static volatile uint64_t o;
	uint64_t len, align, off, nr;
	char cmd[128], res[256];
	ssize_t n;
	char *p;
	int fd, gfd, len_cmd;

	if (argc != 8)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);
	off = arg_size(argv[6]);
	nr = arg_size(argv[7]);
	if (off % PG || off >= len || !nr)
		usage();

	fd = open_dev(argv[2]);
	p = map_at_align(fd, len, align, MAP_SHARED, 0);
	if (p == MAP_FAILED)
		fail("mmap %s: %s", argv[2], strerror(errno));
	/* Rewrite the first byte of every unit: a write fault, data kept. */
	install_handlers();
	if (sigsetjmp(guard_env, 1))
		fail("%s (code %d) write-faulting offset %#" PRIx64,
		     signame(sig_no), sig_code, (uint64_t)o);
	guard_armed = 1;
	for (o = 0; o < len; o += align)
		*(volatile char *)(p + o) = *(volatile char *)(p + o);
	guard_armed = 0;

	len_cmd = snprintf(cmd, sizeof(cmd), "%s 0x%lx %" PRIu64 "\n", argv[5],
			   (unsigned long)(p + off), nr);
	if (len_cmd < 0 || (size_t)len_cmd >= sizeof(cmd))
		usage();
	gfd = open(GUP_FILE, O_WRONLY | O_CLOEXEC);
	if (gfd < 0)
		fail("open %s: %s", GUP_FILE, strerror(errno));
	n = write(gfd, cmd, len_cmd);
	if (n != len_cmd)
		fail("write \"%.*s\" to %s: %s", len_cmd - 1, cmd, GUP_FILE,
		     n < 0 ? strerror(errno) : "short write");
	close(gfd);

	gfd = open(GUP_FILE, O_RDONLY | O_CLOEXEC);
	if (gfd < 0)
		fail("open %s: %s", GUP_FILE, strerror(errno));
	n = read(gfd, res, sizeof(res) - 1);
	if (n <= 0)
		fail("read %s: %s", GUP_FILE, n < 0 ? strerror(errno) : "empty");
	res[n] = '\0';
	close(gfd);
	fputs(res, stdout);

	munmap(p, len);
	close(fd);
	return 0;
}

/*
 * gupwait: as gup, but the device is the first line of stdin, and nothing
 * happens before that line comes. A process started before a device is
 * enabled then pins its pages from an mm that existed before the enable:
 * its page tables were copied from the kernel's at fork, so this shows
 * that page-table entries the enable added for the device's memmap reach
 * every process (x86 sync_global_pgds()), not only later ones.
 */
static int cmd_gupwait(int argc, char **argv)
{
	char dev[256], *args[8];
	size_t n;

	if (argc != 7)
		usage();
	if (!fgets(dev, sizeof(dev), stdin))
		fail("gupwait: no device on stdin");
	n = strcspn(dev, "\n");
	dev[n] = '\0';
	args[0] = argv[0];
	args[1] = "gup";
	args[2] = dev;
	memcpy(&args[3], &argv[2], 5 * sizeof(char *));
	return cmd_gup(8, args);
}

/* -------------------------------------------------------------- odirect */

/* Transfer all of @len bytes with pread/pwrite on an O_DIRECT fd. */
static void xfer(int fd, char *buf, uint64_t len, off_t pos, int write)
{
	ssize_t n;

	n = write ? pwrite(fd, buf, len, pos) : pread(fd, buf, len, pos);
	if (n < 0 || (uint64_t)n != len)
		fail("O_DIRECT %s of %" PRIu64 " bytes at %lld: %s", write ? "write" : "read",
		     len, (long long)pos, n < 0 ? strerror(errno) : "short transfer");
}

/*
 * Both directions of O_DIRECT between block device BLKDEV and a mapping
 * of the whole device-dax DEV (SIZE bytes, aligned to ALIGN), at device
 * offset OFFSET, LEN bytes: the block layer pins the subpages of the
 * device's compound pages (get_user_pages) and the driver looks at each
 * one (NVMe: is_pci_p2pdma_page()).
 *   1. pattern A is written to BLKDEV from an anonymous buffer, read
 *      into the device mapping at OFFSET, and checked there;
 *   2. pattern B is stamped into the device mapping at OFFSET, written
 *      to BLKDEV from there, read back into the anonymous buffer, and
 *      checked.
 * Every 4K page of both copies is checked at three words; the device
 * bytes just before and after the range must be untouched.
 */
static int cmd_odirect(int argc, char **argv)
{
	uint64_t len, size, align, off;
	int64_t bad;
	char *map, *buf;
	int fd, bfd;

	if (argc != 8)
		usage();
	align = arg_align(argv[4]);
	size = arg_len(argv[3], align);
	off = arg_size(argv[6]);
	len = arg_size(argv[7]);
	if (!len || len % PG || off % PG || off + len > size || off + len < off)
		usage();
	fd = open_dev(argv[2]);
	bfd = open(argv[5], O_RDWR | O_DIRECT | O_CLOEXEC);
	if (bfd < 0)
		fail("open %s O_DIRECT: %s", argv[5], strerror(errno));
	map = map_at_align(fd, size, align, MAP_SHARED, 0);
	if (map == MAP_FAILED)
		fail("mmap %s: %s", argv[2], strerror(errno));
	buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		fail("mmap %" PRIu64 " anonymous bytes: %s", len, strerror(errno));

	/* guards around the range, where the device has room for them */
	if (off)
		*(volatile uint64_t *)(map + off - 8) = pattern(3, off - 8);
	if (off + len < size)
		*(volatile uint64_t *)(map + off + len) = pattern(3, off + len);

	stamp_words(buf, len, 1);
	xfer(bfd, buf, len, 0, 1);
	xfer(bfd, map + off, len, 0, 0);
	bad = bad_word(map + off, len, 1);
	if (bad >= 0)
		fail("read into the device: wrong data at device offset %#" PRIx64,
		     off + (uint64_t)bad);

	stamp_words(map + off, len, 2);
	xfer(bfd, map + off, len, 0, 1);
	memset(buf, 0, len);
	xfer(bfd, buf, len, 0, 0);
	bad = bad_word(buf, len, 2);
	if (bad >= 0)
		fail("write from the device: wrong data at offset %#" PRIx64 " of the disk",
		     (uint64_t)bad);

	if (off && *(volatile uint64_t *)(map + off - 8) != pattern(3, off - 8))
		fail("the word before the range changed");
	if (off + len < size && *(volatile uint64_t *)(map + off + len) != pattern(3, off + len))
		fail("the word after the range changed");
	printf("odirect ok: %" PRIu64 " bytes each way at device offset %#" PRIx64 "\n", len, off);
	munmap(buf, len);
	munmap(map, size);
	close(bfd);
	close(fd);
	return 0;
}

/* --------------------------------------------------------------- mremap */

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/*
 * mremap() of a whole mapping of DEV (SIZE bytes at an ALIGN-aligned
 * address, every page faulted in, so huge PMDs or PUDs map it):
 *   - shrinking it to SIZE - ALIGN/2, or moving ALIGN bytes from offset
 *     ALIGN/2, would split the VMA off the device's alignment: EINVAL,
 *     the mapping unchanged (its data is checked after the next step);
 *   - moving it whole (MREMAP_FIXED) to another aligned address carries
 *     the data: every 4K page reads back at the new address, and the old
 *     range is free.
 */
static int cmd_mremap(int argc, char **argv)
{
	static volatile uint64_t off;
	uint64_t len, align, pg;
	char *p, *q, *want, *rbase, *r;
	size_t rlen;
	int fd, i;

	if (argc != 5)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);
	fd = open_dev(argv[2]);
	p = map_at_align(fd, len, align, MAP_SHARED, 0);
	if (p == MAP_FAILED)
		fail("mmap %s: %s", argv[2], strerror(errno));
	install_handlers();
	if (sigsetjmp(guard_env, 1))
		fail("%s (code %d) at offset %#" PRIx64, signame(sig_no), sig_code, off);
	guard_armed = 1;
	for (pg = 0; pg < len; pg += PG)
		for (i = 0; i < 3; i++) {
			off = pg + word_off[i];
			*(volatile uint64_t *)(p + off) = pattern(7, off);
		}
	guard_armed = 0;

	q = mremap(p, len, len - align / 2, 0);
	if (q != MAP_FAILED || errno != EINVAL)
		fail("shrinking to %#" PRIx64 " bytes: %s, want EINVAL", len - align / 2,
		     q == MAP_FAILED ? strerror(errno) : "succeeded");

	want = reserve(len, align, 0, &rbase, &rlen);
	q = mremap(p + align / 2, align, align, MREMAP_MAYMOVE | MREMAP_FIXED, want);
	if (q != MAP_FAILED || errno != EINVAL)
		fail("moving %#" PRIx64 " bytes from offset %#" PRIx64 ": %s, want EINVAL",
		     align, align / 2, q == MAP_FAILED ? strerror(errno) : "succeeded");

	q = mremap(p, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, want);
	if (q == MAP_FAILED)
		fail("moving %#" PRIx64 " bytes to %p: %s", len, (void *)want, strerror(errno));
	trim(rbase, rlen, q, len);
	if (sigsetjmp(guard_env, 1))
		fail("%s (code %d) reading offset %#" PRIx64 " after the move",
		     signame(sig_no), sig_code, off);
	guard_armed = 1;
	for (pg = 0; pg < len; pg += PG)
		for (i = 0; i < 3; i++) {
			off = pg + word_off[i];
			if (*(volatile uint64_t *)(q + off) != pattern(7, off)) {
				guard_armed = 0;
				fail("wrong data at offset %#" PRIx64 " after the move", (uint64_t)off);
			}
		}
	guard_armed = 0;
	r = mmap(p, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (r != p)
		fail("the old range is still mapped after the move");
	munmap(r, len);
	munmap(q, len);
	close(fd);
	printf("mremap ok\n");
	return 0;
}

/* ------------------------------------------------------------- vmsplice */

#define SPLICE_LEN	(64 * 1024UL)	/* what a default pipe holds */

/*
 * The second half of vmsplice and pinram: wait for a line on stdin, read
 * LEN bytes out of the pipe FD, check the words stamped with SEED and
 * print "pipe data ok".
 */
static int drain_checked(int fd, uint64_t len, uint64_t seed)
{
	char *buf, line[16];
	size_t got;
	ssize_t n;
	int64_t bad;

	if (!fgets(line, sizeof(line), stdin))
		fail("stdin closed before the go line");
	buf = malloc(len);
	if (!buf)
		fail("malloc");
	for (got = 0; got < len; got += n) {
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			fail("read the pipe: %s", n < 0 ? strerror(errno) : "EOF");
	}
	bad = bad_word(buf, len, seed);
	if (bad >= 0)
		fail("pipe data wrong at offset %#" PRIx64, (uint64_t)bad);
	printf("pipe data ok\n");
	return 0;
}

/*
 * Hold references on device pages that outlive their mapping: stamp the
 * 64 KiB at device offset OFFSET of a mapping of DEV (SIZE bytes,
 * aligned to ALIGN), vmsplice() them into a pipe (the pipe buffers take
 * page references, gup), unmap the device and print "held".  Then wait
 * for a line on stdin, read the 64 KiB out of the pipe, check every 4K
 * page at three words and print "pipe data ok".  The device can be
 * disabled in between: its teardown must wait for these references.
 */
static int cmd_vmsplice(int argc, char **argv)
{
	uint64_t len, align, off;
	struct iovec iov;
	char *map;
	ssize_t n;
	int fd, p[2];

	if (argc != 6)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);
	off = arg_size(argv[5]);
	if (off % PG || off + SPLICE_LEN > len || off + SPLICE_LEN < off)
		usage();
	fd = open_dev(argv[2]);
	map = map_at_align(fd, len, align, MAP_SHARED, 0);
	if (map == MAP_FAILED)
		fail("mmap %s: %s", argv[2], strerror(errno));
	stamp_words(map + off, SPLICE_LEN, 5);
	if (pipe(p))
		fail("pipe: %s", strerror(errno));
	iov.iov_base = map + off;
	iov.iov_len = SPLICE_LEN;
	n = vmsplice(p[1], &iov, 1, 0);
	if (n < 0 || (uint64_t)n != SPLICE_LEN)
		fail("vmsplice %lu bytes: %s", SPLICE_LEN, n < 0 ? strerror(errno) : "short");
	if (munmap(map, len))
		fail("munmap: %s", strerror(errno));
	close(fd);
	printf("held\n");
	fflush(stdout);
	return drain_checked(p[0], SPLICE_LEN, 5);
}

/* ----------------------------------------------------------------- hold */

/*
 * Keep a mapping over a device reconfiguration: map SIZE bytes of DEV
 * (aligned to ALIGN), stamp three words of every 4K page, print "held"
 * and wait for a line on stdin.  Then read the mapping again and print
 * what it shows: "SIGBUS at=+X" (the first page that faults), "data ok"
 * (every word as stamped) or "wrong data at=+X" (the first word that is
 * not: the mapping reached memory that is no longer this device's data).
 */
static int cmd_hold(int argc, char **argv)
{
	uint64_t len, align, where;
	char *map, line[16];
	int64_t bad;
	int fd;

	if (argc != 5)
		usage();
	align = arg_align(argv[4]);
	len = arg_len(argv[3], align);
	fd = open_dev(argv[2]);
	map = map_at_align(fd, len, align, MAP_SHARED, 0);
	if (map == MAP_FAILED)
		fail("mmap %s: %s", argv[2], strerror(errno));
	stamp_words(map, len, 11);
	printf("held\n");
	fflush(stdout);

	if (!fgets(line, sizeof(line), stdin))
		fail("stdin closed before the go line");
	if (touch(map, len, PG, &where)) {
		printf("%s at=+%#" PRIx64 "\n", signame(sig_no), where);
		return 0;
	}
	bad = bad_word(map, len, 11);
	if (bad >= 0)
		printf("wrong data at=+%#" PRIx64 "\n", (uint64_t)bad);
	else
		printf("data ok\n");
	return 0;
}

/*
 * Pin RAM that lives in [START, END) (byte addresses, e.g. a dax device
 * turned into system RAM): fault in anonymous 4K pages until one sits
 * in the range (/proc/self/pagemap), stamp it, vmsplice() it into a pipe
 * (a page reference the memory offline cannot migrate away) and print
 * "held pfn=P".  Then wait for a line on stdin, read the page out of the
 * pipe, check it and print "pipe data ok".
 */
static int cmd_pinram(int argc, char **argv)
{
	const uint64_t chunk = 64UL << 20, max = 1UL << 30;
	uint64_t start, end, done, pfn = 0, ent;
	char *p = NULL;
	struct iovec iov;
	ssize_t n;
	int pm, fds[2];

	if (argc != 4)
		usage();
	start = arg_size(argv[2]);
	end = arg_size(argv[3]);
	if (start >= end)
		usage();
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (pm < 0)
		fail("open /proc/self/pagemap: %s", strerror(errno));
	/* Chunks stay allocated: the next chunk must take other pages. */
	for (done = 0; done < max && !pfn; done += chunk) {
		char *c = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		uint64_t off;

		if (c == MAP_FAILED)
			fail("mmap %#" PRIx64 " anonymous bytes: %s", chunk, strerror(errno));
		for (off = 0; off < chunk; off += PG) {
			if (pread(pm, &ent, sizeof(ent), ((uintptr_t)(c + off) / PG) * 8) != sizeof(ent))
				fail("read /proc/self/pagemap: %s", strerror(errno));
			/* bit 63: present; bits 0-54: pfn (root only) */
			if (!(ent >> 63))
				continue;
			ent &= (1ULL << 55) - 1;
			if (ent >= start / PG && ent < end / PG) {
				pfn = ent;
				p = c + off;
				break;
			}
		}
	}
	if (!pfn)
		fail("no anonymous page in [%#" PRIx64 ", %#" PRIx64 ") after %" PRIu64 " MiB",
		     start, end, done >> 20);
	stamp_words(p, PG, 13);
	if (pipe(fds))
		fail("pipe: %s", strerror(errno));
	iov.iov_base = p;
	iov.iov_len = PG;
	n = vmsplice(fds[1], &iov, 1, 0);
	if (n != (ssize_t)PG)
		fail("vmsplice: %s", n < 0 ? strerror(errno) : "short");
	printf("held pfn=%#" PRIx64 "\n", pfn);
	fflush(stdout);
	return drain_checked(fds[0], PG, 13);
}

/* ----------------------------------------------------------------- race */

#define RACE_IO		(64 * 1024UL)
#define RACE_THREADS	4

struct race_arg {
	int fd, bfd, id;
	uint64_t align;
	char *shared;		/* a long-lived mapping of the first unit */
	time_t end;
	unsigned long iters;
	const char *err;
};

/*
 * Even threads map the first unit of the device afresh, write-fault it
 * and O_DIRECT-read from the disk into it (gup pins the compound page
 * while the other threads fault, pin and unmap it), check the data and
 * unmap; odd threads O_DIRECT-write from the shared mapping of the same
 * unit to the disk (pins through another mapping) and read it back.
 * Each thread uses its own 64 KiB slot of the disk and of the unit.
 */
static void *race_thread(void *v)
{
	struct race_arg *a = v;
	uint64_t slot = (uint64_t)a->id * RACE_IO, w;
	char *buf = NULL, *p, *r;

	if (posix_memalign((void **)&buf, PG, RACE_IO)) {
		a->err = "posix_memalign";
		return NULL;
	}
	while (time(NULL) < a->end && !a->err) {
		w = pattern(a->id, a->iters);
		if (a->id % 2 == 0) {
			*(uint64_t *)buf = w;
			if (pwrite(a->bfd, buf, RACE_IO, slot) != (ssize_t)RACE_IO) {
				a->err = "pwrite from memory";
				break;
			}
			/* inside a reservation of this thread's own: no MAP_FIXED
			 * over another thread's mapping */
			r = mmap(NULL, a->align * 2, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (r == MAP_FAILED) {
				a->err = "reserve";
				break;
			}
			p = (char *)(((uintptr_t)r + a->align - 1) & ~(uintptr_t)(a->align - 1));
			p = mmap(p, a->align, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
				 a->fd, 0);
			if (p == MAP_FAILED) {
				a->err = "mmap";
				munmap(r, a->align * 2);
				break;
			}
			*(volatile char *)(p + slot + 8) = 1;
			if (pread(a->bfd, p + slot, RACE_IO, slot) != (ssize_t)RACE_IO)
				a->err = "pread into the device";
			else if (*(uint64_t *)(p + slot) != w)
				a->err = "wrong data read into the device";
			munmap(r, a->align * 2);
		} else {
			*(uint64_t *)(a->shared + slot) = w;
			if (pwrite(a->bfd, a->shared + slot, RACE_IO, slot) != (ssize_t)RACE_IO)
				a->err = "pwrite from the device";
			else if (pread(a->bfd, buf, RACE_IO, slot) != (ssize_t)RACE_IO)
				a->err = "pread into memory";
			else if (*(uint64_t *)buf != w)
				a->err = "wrong data written from the device";
		}
		a->iters++;
	}
	free(buf);
	return NULL;
}

/*
 * RACE_THREADS threads pin, fault and unmap the first compound page of
 * DEV (align ALIGN) at once for SECS seconds, with O_DIRECT to BLKDEV
 * (see race_thread()).  Prints "race ok: N iterations".  The caller
 * checks the head's refcount afterwards: every pin was given back.
 */
static int cmd_race(int argc, char **argv)
{
	struct race_arg a[RACE_THREADS];
	pthread_t t[RACE_THREADS];
	unsigned long total = 0;
	uint64_t align;
	char *shared;
	int fd, bfd, i;

	if (argc != 6)
		usage();
	align = arg_align(argv[3]);
	if (align < RACE_THREADS * RACE_IO)
		usage();
	fd = open_dev(argv[2]);
	bfd = open(argv[4], O_RDWR | O_DIRECT | O_CLOEXEC);
	if (bfd < 0)
		fail("open %s O_DIRECT: %s", argv[4], strerror(errno));
	shared = map_at_align(fd, align, align, MAP_SHARED, 0);
	if (shared == MAP_FAILED)
		fail("mmap %s: %s", argv[2], strerror(errno));
	*(volatile char *)shared = *(volatile char *)shared;
	for (i = 0; i < RACE_THREADS; i++) {
		a[i] = (struct race_arg){ .fd = fd, .bfd = bfd, .id = i, .align = align,
					  .shared = shared,
					  .end = time(NULL) + atoi(argv[5]) };
		if (pthread_create(&t[i], NULL, race_thread, &a[i]))
			fail("pthread_create");
	}
	for (i = 0; i < RACE_THREADS; i++) {
		pthread_join(t[i], NULL);
		if (a[i].err)
			fail("thread %d, iteration %lu: %s (%s)", i, a[i].iters, a[i].err,
			     strerror(errno));
		if (!a[i].iters)
			fail("thread %d did not run", i);
		total += a[i].iters;
	}
	munmap(shared, align);
	close(bfd);
	close(fd);
	printf("race ok: %lu iterations\n", total);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (!strcmp(argv[1], "data"))
		return cmd_data(argc, argv);
	if (!strcmp(argv[1], "private"))
		return cmd_private(argc, argv);
	if (!strcmp(argv[1], "unaligned"))
		return cmd_unaligned(argc, argv);
	if (!strcmp(argv[1], "pagesize"))
		return cmd_pagesize(argc, argv);
	if (!strcmp(argv[1], "hwpoison"))
		return cmd_hwpoison(argc, argv);
	if (!strcmp(argv[1], "offset"))
		return cmd_offset(argc, argv);
	if (!strcmp(argv[1], "gupwait"))
		return cmd_gupwait(argc, argv);
	if (!strcmp(argv[1], "gup"))
		return cmd_gup(argc, argv);
	if (!strcmp(argv[1], "odirect"))
		return cmd_odirect(argc, argv);
	if (!strcmp(argv[1], "mremap"))
		return cmd_mremap(argc, argv);
	if (!strcmp(argv[1], "vmsplice"))
		return cmd_vmsplice(argc, argv);
	if (!strcmp(argv[1], "pinram"))
		return cmd_pinram(argc, argv);
	if (!strcmp(argv[1], "hold"))
		return cmd_hold(argc, argv);
	if (!strcmp(argv[1], "race"))
		return cmd_race(argc, argv);
	usage();
}
