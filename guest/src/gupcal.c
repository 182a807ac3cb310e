// SPDX-License-Identifier: GPL-2.0
/*
 * gupcal: gup_benchmark with a host-speed reference next to every sample.
 *
 * Under TCG the speed of the host CPU that runs the vCPU changes by up to
 * 2x from one second to the next (other tenants, frequency), so two boots
 * cannot be compared on wall time alone. Each sample here is bracketed by
 * cal_spin_us() (cal.h), a fixed amount of user-space work whose mean time
 * is printed with it: the bench divides the gup times by that reference.
 *
 * Options as the tree's gup_benchmark: -m MiB -n pages-per-call -r repeats
 * -a (pin fast) -b (pin) -L (pin longterm) -U (get) -u (get fast, default)
 * -t/-T (THP on/off) -w (write) -S (MAP_SHARED) -f FILE.
 * Prints per repeat: "Time: get:G put:P us cal:C us".
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cal.h"

struct gup_benchmark {
	uint64_t get_delta_usec;
	uint64_t put_delta_usec;
	uint64_t addr;
	uint64_t size;
	uint32_t nr_pages_per_call;
	uint32_t flags;
	uint64_t expansion[10];
};

#define GUP_FAST_BENCHMARK	_IOWR('g', 1, struct gup_benchmark)
#define GUP_BENCHMARK		_IOWR('g', 2, struct gup_benchmark)
#define PIN_FAST_BENCHMARK	_IOWR('g', 3, struct gup_benchmark)
#define PIN_BENCHMARK		_IOWR('g', 4, struct gup_benchmark)
#define PIN_LONGTERM_BENCHMARK	_IOWR('g', 5, struct gup_benchmark)
#define FOLL_WRITE		0x01

int main(int argc, char **argv)
{
	unsigned long size = 128UL << 20;
	int opt, fd, filed = -1, thp = -1, repeats = 1, nr = 1, r;
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long cmd = GUP_FAST_BENCHMARK;
	struct gup_benchmark gup = { 0 };
	char *p;

	while ((opt = getopt(argc, argv, "m:n:r:abLUutTwSf:")) != -1) {
		switch (opt) {
		case 'm': size = strtoul(optarg, NULL, 0) << 20; break;
		case 'n': nr = atoi(optarg); break;
		case 'r': repeats = atoi(optarg); break;
		case 'a': cmd = PIN_FAST_BENCHMARK; break;
		case 'b': cmd = PIN_BENCHMARK; break;
		case 'L': cmd = PIN_LONGTERM_BENCHMARK; break;
		case 'U': cmd = GUP_BENCHMARK; break;
		case 'u': cmd = GUP_FAST_BENCHMARK; break;
		case 't': thp = 1; break;
		case 'T': thp = 0; break;
		case 'w': gup.flags |= FOLL_WRITE; break;
		case 'S': mflags = (mflags & ~MAP_PRIVATE) | MAP_SHARED; break;
		case 'f':
			filed = open(optarg, O_RDWR);
			if (filed < 0) {
				perror(optarg);
				return 1;
			}
			mflags &= ~MAP_ANONYMOUS;
			break;
		default:
			fprintf(stderr, "gupcal: bad option\n");
			return 2;
		}
	}
	fd = open("/sys/kernel/debug/gup_benchmark", O_RDWR);
	if (fd < 0) {
		perror("/sys/kernel/debug/gup_benchmark");
		return 1;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, mflags, filed, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (thp == 1)
		madvise(p, size, MADV_HUGEPAGE);
	else if (thp == 0)
		madvise(p, size, MADV_NOHUGEPAGE);
	for (unsigned long off = 0; off < size; off += 4096)
		p[off] = 0;
	gup.addr = (uintptr_t)p;
	gup.size = size;
	gup.nr_pages_per_call = nr;
	for (r = 0; r < repeats; r++) {
		double c0 = cal_spin_us(), c1;

		if (ioctl(fd, cmd, &gup)) {
			perror("ioctl");
			return 1;
		}
		c1 = cal_spin_us();
		printf("Time: get:%llu put:%llu us cal:%.0f us\n",
		       (unsigned long long)gup.get_delta_usec,
		       (unsigned long long)gup.put_delta_usec, (c0 + c1) / 2);
	}
	return 0;
}
