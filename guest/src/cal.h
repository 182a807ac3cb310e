/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-speed reference for the bench helpers (gupcal, elapsed -c).
 *
 * Under TCG the host CPU that runs a vCPU changes speed by up to 2x
 * within seconds (frequency, other tenants of the host): the same
 * user-space loop took 0.11 to 0.23 s on an idle 2-core host. A sample
 * timed alone cannot tell that from a change in the kernel, so each
 * sample is bracketed by a fixed amount of user-space work, cal_spin_us()
 * before and after it, and the bench divides the sample by the mean of
 * the two: a ratio of such quotients compares kernels, not host moods.
 * The loop touches no memory but its counter and makes no system call,
 * so nothing the kernels do differently can change its time.
 */
#ifndef DAX_TEST_CAL_H
#define DAX_TEST_CAL_H

#include <time.h>

/* about 10 ms under TCG: long against timer ticks, short against samples */
#define CAL_SPIN	2000000UL

static inline double cal_now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Time of CAL_SPIN iterations of a register-only loop, in us. */
static inline double cal_spin_us(void)
{
	volatile unsigned long x = 0;
	double t0 = cal_now_us();
	unsigned long i;

	for (i = 0; i < CAL_SPIN; i++)
		x += i;
	return cal_now_us() - t0;
}

#endif
