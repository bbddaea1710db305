/*
 * ap.c - the AP configuration: creating the model, adding, removing,
 * (de)configuring and checkstopping adapters, usage/control domains, and
 * moving virtual time forward.
 */
#include <stdlib.h>
#include <string.h>

#include "s390/ap/ap_internal.h"

#define AP_DEFAULT_CHUNK	4096
#define AP_ML_UNIT		4096
#define AP_DEFAULT_MAX_MSG	12288

struct ap *ap__new(const struct ap_config *cfg)
{
	struct ap *ap = calloc(1, sizeof(*ap));

	if (!ap)
		return NULL;
	ap->cfg = *cfg;
	if (!ap->cfg.xfer_chunk)
		ap->cfg.xfer_chunk = AP_DEFAULT_CHUNK;
	ap->next_event = UINT64_MAX;
	return ap;
}

/* Drop every queue of an adapter: their requests and replies are lost. */
static void drop_queues(struct ap_adapter *ad)
{
	for (unsigned d = 0; d < AP_MAX_DOMAINS; d++) {
		ap_queue__free(ad->q[d]);
		ad->q[d] = NULL;
	}
}

void ap__free(struct ap *ap)
{
	if (!ap)
		return;
	for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++)
		drop_queues(&ap->ad[a]);
	free(ap);
}

size_t ap_adapter__max_msg(const struct ap_adapter *ad)
{
	return ad->cfg.ml ? ad->cfg.ml * AP_ML_UNIT : AP_DEFAULT_MAX_MSG;
}

/* A new adapter comes up configured and not checkstopped. */
int ap__adapter_add(struct ap *ap, unsigned id, const struct ap_adapter_cfg *c)
{
	struct ap_adapter *ad;

	if (id >= AP_MAX_ADAPTERS || c->depth < 1 || c->depth > AP_MAX_DEPTH ||
	    c->ml > 15 || c->mode > AP_MODE_EP11)
		return -1;
	ad = &ap->ad[id];
	if (ad->present)
		return -1;
	ad->present = true;
	ad->configured = true;
	ad->checkstopped = false;
	ad->cfg = *c;
	return 0;
}

void ap__adapter_remove(struct ap *ap, unsigned id)
{
	if (id >= AP_MAX_ADAPTERS)
		return;
	drop_queues(&ap->ad[id]);
	memset(&ap->ad[id], 0, sizeof(ap->ad[id]));
}

/* Model decision: deconfiguring or checkstopping an adapter loses its
 * queues' contents; the queues come back empty and reset. */
void ap__adapter_configure(struct ap *ap, unsigned id, bool configured)
{
	if (id >= AP_MAX_ADAPTERS || !ap->ad[id].present)
		return;
	if (!configured)
		drop_queues(&ap->ad[id]);
	ap->ad[id].configured = configured;
}

void ap__adapter_checkstop(struct ap *ap, unsigned id, bool checkstopped)
{
	if (id >= AP_MAX_ADAPTERS || !ap->ad[id].present)
		return;
	if (checkstopped)
		drop_queues(&ap->ad[id]);
	ap->ad[id].checkstopped = checkstopped;
}

/* A domain that stops being a usage domain loses its queues. */
void ap__domain_set(struct ap *ap, unsigned d, bool usage, bool control)
{
	if (d >= AP_MAX_DOMAINS)
		return;
	if (!usage) {
		for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++) {
			ap_queue__free(ap->ad[a].q[d]);
			ap->ad[a].q[d] = NULL;
		}
	}
	ap_bit_put(ap->usage, d, usage);
	ap_bit_put(ap->control, d, control);
}

void ap__gib_set(struct ap *ap, const struct ap_mem *mem, uint64_t origin)
{
	ap->gib_mem = mem;
	ap->gib = origin;
}

void ap__schedule(struct ap *ap, uint64_t when)
{
	if (when < ap->next_event)
		ap->next_event = when;
}

uint64_t ap__next_event(const struct ap *ap)
{
	return ap->next_event;
}

/* Time never goes back; queues recompute the next due event. */
void ap__advance(struct ap *ap, uint64_t now_ns)
{
	if (now_ns > ap->now)
		ap->now = now_ns;
	if (ap->now < ap->next_event)
		return;
	ap->next_event = UINT64_MAX;
	for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++) {
		struct ap_adapter *ad = &ap->ad[a];

		if (!ad->present)
			continue;
		for (unsigned d = 0; d < AP_MAX_DOMAINS; d++)
			if (ad->q[d])
				ap_queue__advance(ap, AP_APQN(a, d), ad->q[d]);
	}
}
