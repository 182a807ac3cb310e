// SPDX-License-Identifier: GPL-2.0
/*
 * seedrng - credit the kernel's random pool with a seed from the host.
 *
 * The lean kernels have no hardware RNG driver and no RDRAND support, so
 * under TCG the pool stays uninitialised for minutes. libuuid asks
 * getrandom() not to block and sleeps for a second before it falls back
 * to /dev/urandom: every ndctl create-namespace (one uuid or more) took
 * over 4 s, most of the guest tests' time. scripts/boot passes 32 bytes
 * of the host's /dev/urandom on the command line (devdax.seed=HEX); this
 * adds them with RNDADDENTROPY, credited, which initialises the pool.
 * Prints "seeded N bytes".
 *
 * Build: gcc -O2 -Wall -Wextra -static -o seedrng seedrng.c
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SEED_MAX 64

int main(void)
{
	struct {
		struct rand_pool_info info;
		unsigned char buf[SEED_MAX];
	} s;
	char cmdline[4096], *p;
	unsigned int byte;
	ssize_t n;
	int fd, len = 0;

	fd = open("/proc/cmdline", O_RDONLY);
	if (fd < 0) {
		perror("seedrng: /proc/cmdline");
		return 1;
	}
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	if (n <= 0) {
		fprintf(stderr, "seedrng: cannot read /proc/cmdline\n");
		return 1;
	}
	cmdline[n] = '\0';
	p = strstr(cmdline, "devdax.seed=");
	if (!p) {
		fprintf(stderr, "seedrng: no devdax.seed= on the command line\n");
		return 1;
	}
	for (p += strlen("devdax.seed="); len < SEED_MAX && isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1]); p += 2) {
		sscanf(p, "%2x", &byte);
		s.buf[len++] = byte;
	}
	if (len < 16) {
		fprintf(stderr, "seedrng: devdax.seed= has %d bytes, want at least 16\n", len);
		return 1;
	}
	s.info.entropy_count = len * 8;
	s.info.buf_size = len;
	fd = open("/dev/urandom", O_WRONLY);
	if (fd < 0 || ioctl(fd, RNDADDENTROPY, &s.info)) {
		fprintf(stderr, "seedrng: RNDADDENTROPY: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	printf("seeded %d bytes\n", len);
	return 0;
}
