/* clock.c - virtual clock: a sorted list of armed timers. */
#include "hvsim/clock.h"

#include <string.h>

void vclock__init(struct vclock *clock)
{
	memset(clock, 0, sizeof(*clock));
}

void vtimer__init(struct vtimer *t, struct vclock *clock, const char *name,
		  void (*cb)(void *opaque), void *opaque)
{
	memset(t, 0, sizeof(*t));
	t->clock = clock;
	t->name = name;
	t->cb = cb;
	t->opaque = opaque;
}

void vtimer__cancel(struct vtimer *t)
{
	struct vtimer **pp;

	if (!t->armed)
		return;
	for (pp = &t->clock->armed; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void vtimer__arm(struct vtimer *t, uint64_t expire_ns)
{
	struct vtimer **pp;

	vtimer__cancel(t);
	t->expire_ns = expire_ns;
	t->seq = t->clock->seq++;
	for (pp = &t->clock->armed; *pp; pp = &(*pp)->next)
		if ((*pp)->expire_ns > expire_ns)
			break;
	t->next = *pp;
	*pp = t;
	t->armed = true;
}

void vclock__advance_to(struct vclock *clock, uint64_t ns)
{
	if (ns > clock->now_ns)
		clock->now_ns = ns;
	while (clock->armed && clock->armed->expire_ns <= clock->now_ns) {
		struct vtimer *t = clock->armed;
		clock->armed = t->next;
		t->next = NULL;
		t->armed = false;
		t->cb(t->opaque);
	}
}

uint64_t clock__ns_to_ticks(uint64_t ns, uint64_t freq_hz)
{
	return (uint64_t)((unsigned __int128)ns * freq_hz / NS_PER_SEC);
}

uint64_t clock__ticks_to_ns(uint64_t ticks, uint64_t freq_hz)
{
	return (uint64_t)(((unsigned __int128)ticks * NS_PER_SEC + freq_hz - 1) /
			  freq_hz);
}
