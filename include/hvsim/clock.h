/*
 * clock.h - the virtual clock and its timers.
 *
 * Virtual time is advanced by the CPU engine from executed instructions
 * (never host time), so a run is deterministic.  Device models arm timers
 * at absolute virtual nanoseconds; vclock__advance_to() fires the expired
 * ones in deadline order (ties in arming order).
 */
#ifndef HVSIM_CLOCK_H
#define HVSIM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define VCLOCK_NEVER UINT64_MAX
#define NS_PER_SEC 1000000000ULL

struct vclock;

struct vtimer {
	struct vclock *clock;
	const char *name;
	void (*cb)(void *opaque);
	void *opaque;
	uint64_t expire_ns;
	uint64_t seq;		/* arming order, breaks ties */
	bool armed;
	struct vtimer *next;	/* list of armed timers, sorted */
};

struct vclock {
	uint64_t now_ns;
	uint64_t seq;
	struct vtimer *armed;
};

void vclock__init(struct vclock *clock);
static inline uint64_t vclock__now(const struct vclock *clock)
{
	return clock->now_ns;
}
/* Deadline of the earliest armed timer, or VCLOCK_NEVER. */
static inline uint64_t vclock__next_deadline(const struct vclock *clock)
{
	return clock->armed ? clock->armed->expire_ns : VCLOCK_NEVER;
}
/* Moves time forward to ns (never backward) and runs expired timers. */
void vclock__advance_to(struct vclock *clock, uint64_t ns);

void vtimer__init(struct vtimer *t, struct vclock *clock, const char *name,
		  void (*cb)(void *opaque), void *opaque);
/* (Re)arms t at absolute time expire_ns; a time in the past fires at the
 * next vclock__advance_to(). */
void vtimer__arm(struct vtimer *t, uint64_t expire_ns);
void vtimer__cancel(struct vtimer *t);

/* Converts between virtual ns and ticks of a clock of freq_hz. */
uint64_t clock__ns_to_ticks(uint64_t ns, uint64_t freq_hz);
uint64_t clock__ticks_to_ns(uint64_t ticks, uint64_t freq_hz);

#endif
