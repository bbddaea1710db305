/* test_acpi_pm.c - PIIX4 PM timer, PM1 status/enable/control, APM port. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hvsim/acpi_pm.h"
#include "hvsim/clock.h"
#include "hvsim/iobus.h"

#define PMBASE 0x600
#define PM1_STS (PMBASE + 0)
#define PM1_EN (PMBASE + 2)
#define PM1_CNT (PMBASE + 4)
#define PM_TMR (PMBASE + 8)

/* virtual times of PM_TMR bit 23 toggles: ceil(k * 2^23 * 1e9 / 3579545) */
#define FLIP1 2343484438ULL
#define FLIP2 4686968875ULL
#define FLIP3 7030453312ULL

static struct vclock clock;
static struct iobus bus;
static struct acpi_pm pm;
static int sci_level, poweroffs;

static void sci_handler(void *opaque, int n, int level)
{
	(void)opaque;
	assert_int_equal(n, 9);
	sci_level = level;
}

static void poweroff(void *opaque)
{
	assert_ptr_equal(opaque, &pm);
	poweroffs++;
}

static uint64_t in(uint16_t port, unsigned size)
{
	uint64_t v;

	assert_true(iobus__read(&bus, port, size, &v));
	return v;
}

static void out(uint16_t port, uint64_t v, unsigned size)
{
	assert_true(iobus__write(&bus, port, v, size));
}

static int setup(void **state)
{
	(void)state;
	sci_level = poweroffs = 0;
	vclock__init(&clock);
	iobus__init(&bus, "pio", 0);
	acpi_pm__init(&pm, &clock, irq__line(sci_handler, NULL, 9), poweroff,
		      &pm);
	assert_int_equal(iobus__register(&bus, PMBASE, ACPI_PM_SIZE,
					 &acpi_pm__ops, &pm), 0);
	assert_int_equal(iobus__register(&bus, ACPI_PM_APM_PORT, 2,
					 &acpi_pm__apm_ops, &pm), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	return 0;
}

static void test_pm_timer(void **state)
{
	(void)state;
	assert_int_equal(in(PM_TMR, 4), 0);
	vclock__advance_to(&clock, NS_PER_SEC);
	assert_int_equal(in(PM_TMR, 4), 3579545);	/* 0x369e99 */
	assert_int_equal(in(PM_TMR + 2, 1), 0x36);
	assert_int_equal(in(PM_TMR + 3, 1), 0x00);	/* 24 bits only */
	vclock__advance_to(&clock, 10 * NS_PER_SEC);
	assert_int_equal(in(PM_TMR, 4), 0x2231fa);	/* 35795450 mod 2^24 */

	/* the 24-bit wrap, in a fresh clock */
	vclock__init(&clock);
	acpi_pm__init(&pm, &clock, irq__line(sci_handler, NULL, 9), poweroff,
		      &pm);
	vclock__advance_to(&clock, 4686968596ULL);	/* tick 2^24 - 1 */
	assert_int_equal(in(PM_TMR, 4), 0xffffff);
	vclock__advance_to(&clock, FLIP2);
	assert_int_equal(in(PM_TMR, 4), 0x000000);

	/* the device does not care where the PMBASE register put it */
	assert_int_equal(iobus__unregister(&bus, PMBASE), 0);
	assert_int_equal(iobus__register(&bus, 0xb000, ACPI_PM_SIZE,
					 &acpi_pm__ops, &pm), 0);
	vclock__advance_to(&clock, FLIP2 + NS_PER_SEC);
	assert_int_equal(in(0xb008, 4), 3579545);
	assert_int_equal(in(0xb00c, 4), 0xffffffff);	/* not modelled */
}

static void test_timer_overflow_status_and_sci(void **state)
{
	(void)state;
	vclock__advance_to(&clock, FLIP1 - 1);
	assert_int_equal(in(PM1_STS, 2), 0);
	vclock__advance_to(&clock, FLIP1);
	assert_int_equal(in(PM_TMR, 4), 0x800000);
	assert_int_equal(in(PM1_STS, 2), 0x0001);	/* set without TMR_EN */
	assert_int_equal(sci_level, 0);
	out(PM1_STS, 0x0001, 2);
	assert_int_equal(in(PM1_STS, 2), 0);

	out(PM1_EN, 0x0001, 2);				/* TMR_EN */
	assert_int_equal(in(PM1_EN, 2), 0x0001);
	vclock__advance_to(&clock, FLIP2 - 1);
	assert_int_equal(sci_level, 0);
	vclock__advance_to(&clock, FLIP2);		/* bit 23 falls */
	assert_int_equal(sci_level, 1);
	assert_int_equal(in(PM1_STS, 2), 0x0001);
	out(PM1_STS, 0x0000, 2);			/* writing 0 keeps it */
	assert_int_equal(sci_level, 1);
	out(PM1_STS, 0x0001, 1);			/* byte write clears */
	assert_int_equal(sci_level, 0);
	vclock__advance_to(&clock, FLIP3);
	assert_int_equal(sci_level, 1);
	/* disabling the event lowers the SCI but keeps the status */
	out(PM1_EN, 0x0000, 2);
	assert_int_equal(sci_level, 0);
	assert_int_equal(in(PM1_STS, 2), 0x0001);
}

static void test_power_button(void **state)
{
	(void)state;
	acpi_pm__power_button(&pm);
	assert_int_equal(in(PM1_STS, 2), 0x0100);
	assert_int_equal(sci_level, 0);
	out(PM1_EN, 0x0100, 2);
	assert_int_equal(sci_level, 1);
	out(PM1_STS, 0x0100, 2);
	assert_int_equal(sci_level, 0);
	assert_int_equal(in(PM1_STS, 2), 0);
}

static void test_sleep_and_apm(void **state)
{
	(void)state;
	/* entering ACPI mode through SMI_CMD */
	assert_int_equal(in(PM1_CNT, 2), 0);
	out(ACPI_PM_APM_PORT, ACPI_PM_ACPI_ENABLE, 1);
	assert_int_equal(in(PM1_CNT, 2), 0x0001);
	assert_int_equal(in(ACPI_PM_APM_PORT, 1), 0xf1);
	out(ACPI_PM_APM_PORT + 1, 0x5a, 1);
	assert_int_equal(in(ACPI_PM_APM_PORT + 1, 1), 0x5a);

	/* SLP_TYP alone does nothing; S3 is not supported */
	out(PM1_CNT, 0x0001 | 1 << 10, 2);
	assert_int_equal(in(PM1_CNT, 2), 0x0401);
	out(PM1_CNT, 0x0001 | 1 << 10 | 1 << 13, 2);
	assert_int_equal(poweroffs, 0);
	assert_int_equal(in(PM1_CNT, 2), 0x0401);	/* SLP_EN reads 0 */

	/* S5: SLP_TYP 0 with SLP_EN, here as a byte write of the high half */
	out(PM1_CNT + 1, 0x20, 1);
	assert_int_equal(poweroffs, 1);
	assert_int_equal(in(PM1_CNT, 2), 0x0001);
	out(PM1_CNT, 0x0001 | 1 << 13, 2);
	assert_int_equal(poweroffs, 2);

	/* machine reset: back to legacy mode */
	out(PM1_EN, 0x0100, 2);
	acpi_pm__power_button(&pm);
	assert_int_equal(sci_level, 1);
	acpi_pm__reset(&pm);
	assert_int_equal(sci_level, 0);
	assert_int_equal(in(PM1_STS, 2), 0);
	assert_int_equal(in(PM1_EN, 2), 0);
	assert_int_equal(in(PM1_CNT, 2), 0);
	assert_int_equal(in(ACPI_PM_APM_PORT + 1, 1), 0);
	out(ACPI_PM_APM_PORT, ACPI_PM_ACPI_ENABLE, 1);

	out(ACPI_PM_APM_PORT, ACPI_PM_ACPI_DISABLE, 1);
	assert_int_equal(in(PM1_CNT, 2), 0x0000);
	/* PM_TMR is read-only */
	out(PM_TMR, 0x123456, 4);
	assert_int_equal(in(PM_TMR, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pm_timer, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_timer_overflow_status_and_sci, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_button, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sleep_and_apm, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
