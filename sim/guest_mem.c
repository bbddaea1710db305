/* guest_mem.c - guest-physical RAM regions and bounded copies. */
#include "hvsim/guest_mem.h"

#include <string.h>

int guest_mem__add(struct guest_mem *m, uint64_t gpa, uint64_t size,
		   uint8_t *host)
{
	unsigned i;

	if (m->nr == GUEST_MEM_MAX_REGIONS || size == 0 || gpa + size < gpa)
		return -1;
	for (i = 0; i < m->nr; i++) {
		const struct guest_mem_region *r = &m->regions[i];
		if (gpa < r->gpa + r->size && r->gpa < gpa + size)
			return -1;
	}
	m->regions[m->nr++] = (struct guest_mem_region){ gpa, size, host };
	return 0;
}

void *guest_mem__ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	unsigned i;

	for (i = 0; i < m->nr; i++) {
		const struct guest_mem_region *r = &m->regions[i];
		if (gpa >= r->gpa && gpa - r->gpa < r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r->host + (gpa - r->gpa);
	}
	return NULL;
}

/* Length of the RAM run starting at gpa (0 if gpa is not RAM). */
static uint64_t run_len(const struct guest_mem *m, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < m->nr; i++) {
		const struct guest_mem_region *r = &m->regions[i];
		if (gpa >= r->gpa && gpa - r->gpa < r->size)
			return r->size - (gpa - r->gpa);
	}
	return 0;
}

static bool covered(const struct guest_mem *m, uint64_t gpa, size_t len)
{
	while (len) {
		uint64_t n = run_len(m, gpa);
		if (!n)
			return false;
		if (n >= len)
			return true;
		gpa += n;
		len -= n;
	}
	return true;
}

bool guest_mem__read(const struct guest_mem *m, uint64_t gpa, void *buf,
		     size_t len)
{
	uint8_t *out = buf;

	if (gpa + len < gpa || !covered(m, gpa, len))
		return false;
	while (len) {
		uint64_t n = run_len(m, gpa);
		if (n > len)
			n = len;
		memcpy(out, guest_mem__ptr(m, gpa, n), n);
		out += n;
		gpa += n;
		len -= n;
	}
	return true;
}

bool guest_mem__write(const struct guest_mem *m, uint64_t gpa,
		      const void *buf, size_t len)
{
	const uint8_t *in = buf;

	if (gpa + len < gpa || !covered(m, gpa, len))
		return false;
	while (len) {
		uint64_t n = run_len(m, gpa);
		if (n > len)
			n = len;
		memcpy(guest_mem__ptr(m, gpa, n), in, n);
		in += n;
		gpa += n;
		len -= n;
	}
	return true;
}
