/* test_ppc64_fdt.c - the pseries device tree: the builder's blob format
 * (header, reservation map, structure and strings blocks) read back by a
 * small independent parser, the nodes and properties a pseries guest
 * needs, and the builder's failure cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/ppc64_cpu.h"
#include "hvsim/pseries.h"

static uint32_t be32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return ((uint64_t)be32(p) << 32) | be32(p + 4);
}

/*
 * Finds property prop of the node at path ("/a/b", "/" for the root) and
 * returns its value and length, or NULL.  Walks the structure block with
 * its own reading of the format.
 */
static const uint8_t *find_prop(const uint8_t *fdt, const char *path,
				const char *prop, uint32_t *len)
{
	const uint8_t *p = fdt + be32(fdt + 8);
	const char *strings = (const char *)fdt + be32(fdt + 12);
	char cur[256] = "";
	size_t depth_len[16];
	int depth = 0;

	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {			/* begin node */
			const char *name = (const char *)p;
			size_t n = strlen(name);

			depth_len[depth++] = strlen(cur);
			if (depth > 1) {
				if (strcmp(cur, "/"))
					strcat(cur, "/");
				strcat(cur, name);
			} else {
				strcpy(cur, "/");
			}
			p += (n + 4) & ~(size_t)3;
		} else if (tok == 2) {		/* end node */
			cur[depth_len[--depth]] = 0;
		} else if (tok == 3) {		/* property */
			uint32_t l = be32(p), off = be32(p + 4);

			if (!strcmp(cur, path) &&
			    !strcmp(strings + off, prop)) {
				*len = l;
				return p + 8;
			}
			p += 8 + ((l + 3) & ~3u);
		} else if (tok == 9) {
			return NULL;
		} else if (tok != 4) {
			fail_msg("bad token %#x", tok);
		}
	}
}

static void test_header_and_reservations(void **state)
{
	static uint8_t fdt[0x10000];
	struct pseries_dt_params p = { 256ULL << 20, "console=hvc0",
				       0x0ffff000, 0x1000 };
	size_t len = pseries__build_fdt(&p, fdt, sizeof(fdt));

	(void)state;
	assert_true(len > 40);
	assert_int_equal(be32(fdt), 0xd00dfeed);
	assert_int_equal(be32(fdt + 4), len);			/* totalsize */
	assert_int_equal(be32(fdt + 20), 17);			/* version */
	assert_int_equal(be32(fdt + 24), 16);
	/* blocks in order, inside the blob, aligned */
	assert_int_equal(be32(fdt + 16), 40);			/* rsvmap */
	assert_int_equal(be32(fdt + 8) % 4, 0);
	assert_int_equal(be32(fdt + 8) + be32(fdt + 36), be32(fdt + 12));
	assert_int_equal(be32(fdt + 12) + be32(fdt + 32), len);
	/* one reservation (RTAS), then the terminator */
	assert_int_equal(be64(fdt + 40), 0x0ffff000);
	assert_int_equal(be64(fdt + 48), 0x1000);
	assert_int_equal(be64(fdt + 56), 0);
	assert_int_equal(be64(fdt + 64), 0);
	/* the structure block ends with FDT_END */
	assert_int_equal(be32(fdt + be32(fdt + 12) - 4), 9);
}

static void test_pseries_nodes(void **state)
{
	static uint8_t fdt[0x10000];
	struct pseries_dt_params p = { 3ULL << 32, "root=/dev/sda quiet",
				       0x0ffff000, 0x1000 };
	const uint8_t *v;
	uint32_t len;

	(void)state;
	assert_true(pseries__build_fdt(&p, fdt, sizeof(fdt)) > 0);
	v = find_prop(fdt, "/", "compatible", &len);
	assert_non_null(v);
	assert_string_equal((const char *)v, "qemu,pseries");
	v = find_prop(fdt, "/chosen", "bootargs", &len);
	assert_non_null(v);
	assert_string_equal((const char *)v, "root=/dev/sda quiet");
	v = find_prop(fdt, "/memory@0", "reg", &len);
	assert_non_null(v);
	assert_int_equal(len, 16);
	assert_int_equal(be64(v), 0);
	assert_int_equal(be64(v + 8), 3ULL << 32);
	v = find_prop(fdt, "/cpus/PowerPC,POWER9@0", "cpu-version", &len);
	assert_non_null(v);
	assert_int_equal(be32(v), PPC64_PVR_POWER9_DD20);
	v = find_prop(fdt, "/cpus/PowerPC,POWER9@0", "device_type", &len);
	assert_non_null(v);
	assert_string_equal((const char *)v, "cpu");
	v = find_prop(fdt, "/cpus/PowerPC,POWER9@0", "timebase-frequency",
		      &len);
	assert_non_null(v);
	assert_int_equal(be32(v), 512000000);
	v = find_prop(fdt, "/cpus/PowerPC,POWER9@0", "64-bit", &len);
	assert_non_null(v);
	assert_int_equal(len, 0);
	v = find_prop(fdt, "/rtas", "power-off", &len);
	assert_non_null(v);
	assert_int_equal(len, 4);
	assert_int_equal(be32(v), PSERIES_RTAS_POWER_OFF);
	v = find_prop(fdt, "/rtas", "linux,rtas-entry", &len);
	assert_non_null(v);
	assert_int_equal(be32(v), 0x0ffff000);
	v = find_prop(fdt, "/vdevice/vty@71000000", "reg", &len);
	assert_non_null(v);
	assert_int_equal(be32(v), PSERIES_VTY_REG);
	assert_null(find_prop(fdt, "/", "no-such-property", &len));
	/* no /hypervisor node: no property can be found there */
	assert_null(find_prop(fdt, "/hypervisor", "compatible", &len));
}

static void test_strings_shared(void **state)
{
	static uint8_t fdt[0x10000];
	struct pseries_dt_params p = { 1ULL << 30, NULL, 0x0ffff000, 0x1000 };
	const char *strings;
	uint32_t n, i, hits = 0, len;

	(void)state;
	assert_true(pseries__build_fdt(&p, fdt, sizeof(fdt)) > 0);
	strings = (const char *)fdt + be32(fdt + 12);
	n = be32(fdt + 32);
	/* "device_type" is used by several nodes but stored once */
	for (i = 0; i + 12 <= n; i++)
		if (!memcmp(strings + i, "device_type", 12))
			hits++;
	assert_int_equal(hits, 1);
	/* no -append: empty bootargs */
	assert_string_equal((const char *)find_prop(fdt, "/chosen", "bootargs",
						    &len), "");
}

static void test_builder_failures(void **state)
{
	static uint8_t out[4096];
	struct pseries_fdt f;
	struct pseries_dt_params p = { 1ULL << 30, NULL, 0x0ffff000, 0x1000 };

	(void)state;
	/* a node left open */
	pseries_fdt__init(&f);
	pseries_fdt__begin_node(&f, "");
	pseries_fdt__prop_u32(&f, "x", 1);
	assert_int_equal(pseries_fdt__finish(&f, out, sizeof(out)), 0);
	pseries_fdt__free(&f);
	/* a property outside any node, and one node closed twice */
	pseries_fdt__init(&f);
	pseries_fdt__prop_u32(&f, "x", 1);
	pseries_fdt__begin_node(&f, "");
	pseries_fdt__end_node(&f);
	assert_int_equal(pseries_fdt__finish(&f, out, sizeof(out)), 0);
	pseries_fdt__free(&f);
	pseries_fdt__init(&f);
	pseries_fdt__begin_node(&f, "");
	pseries_fdt__end_node(&f);
	pseries_fdt__end_node(&f);
	assert_int_equal(pseries_fdt__finish(&f, out, sizeof(out)), 0);
	pseries_fdt__free(&f);
	/* a buffer too small */
	assert_int_equal(pseries__build_fdt(&p, out, 64), 0);
	/* a minimal tree works: header 40, rsvmap 16, struct, strings */
	pseries_fdt__init(&f);
	pseries_fdt__begin_node(&f, "");
	pseries_fdt__prop_str(&f, "a", "b");
	pseries_fdt__end_node(&f);
	assert_int_equal(pseries_fdt__finish(&f, out, sizeof(out)),
			 40 + 16 + (4 + 4 + 12 + 4 + 4 + 4) + 2);
	pseries_fdt__free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_and_reservations),
		cmocka_unit_test(test_pseries_nodes),
		cmocka_unit_test(test_strings_shared),
		cmocka_unit_test(test_builder_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
