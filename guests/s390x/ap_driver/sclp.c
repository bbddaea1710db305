/*
 * sclp.c - the SCLP console (see sclp.h).  Each SERVICE CALL completes
 * with a service-signal external interruption, awaited in an enabled
 * wait before the next command (a command while one is pending answers
 * condition code 2).  There is no console left to report a failure on,
 * so failures end in a disabled wait whose address tells which.
 */
#include "sclp.h"

#include <stdint.h>

#include "cpu.h"
#include "mem.h"

#define CMD_WRITE_EVENT_MASK	0x00780005u
#define CMD_WRITE_EVENT_DATA	0x00760005u
#define RC_NORMAL		0x0020
#define EVENT_ASCII		0x1a
#define EVENT_MASK_ASCII	0x00000040u	/* event type 0x1a */
#define EVENT_ACCEPTED		0x80

struct sccb_header {
	uint16_t length;
	uint8_t function;
	uint8_t control[3];
	uint16_t response;
};

struct mask_sccb {
	struct sccb_header h;
	uint16_t reserved;
	uint16_t mask_len;		/* 4: the masks below */
	uint32_t cp_receive, cp_send;	/* ours */
	uint32_t sclp_masks[2];		/* the SCLP's answer */
};

struct data_sccb {
	struct sccb_header h;
	uint16_t ev_length;		/* event buffer header */
	uint8_t ev_type;
	uint8_t ev_flags;
	uint16_t ev_reserved;
	char text[SCLP_WRITE_MAX];
};

/* One page: an SCCB may not cross a page boundary. */
static union {
	struct mask_sccb mask;
	struct data_sccb data;
	uint8_t page[4096];
} sccb __attribute__((aligned(4096)));

static void service_call(uint32_t command, uint64_t halt_code)
{
	unsigned cc;

	ext_events &= ~(uint32_t)EXT_SERVICE;
	__asm__ __volatile__(".insn rre,0xb2200000,%[cmd],%[sccb]\n\t"	/* SERVC */
		     "ipm %[cc]\n\t"
		     "srl %[cc],28"
		     : [cc] "=&d"(cc)
		     : [cmd] "d"(command), [sccb] "d"(&sccb)
		     : "cc", "memory");
	if (cc)
		cpu_halt(halt_code);
	while (!(ext_events & EXT_SERVICE))
		cpu_wait(PSW_64 | PSW_EXT | PSW_WAIT);
	ext_events &= ~(uint32_t)EXT_SERVICE;
}

void sclp_init(void)
{
	cr0_set(cr0_get() | CR0_SERVICE);
	memset(&sccb, 0, sizeof(sccb));
	sccb.mask.h.length = sizeof(sccb.mask);
	sccb.mask.mask_len = 4;
	sccb.mask.cp_send = EVENT_MASK_ASCII;
	service_call(CMD_WRITE_EVENT_MASK, 0xf001);
	if (sccb.mask.h.response != RC_NORMAL)
		cpu_halt(0xf001);
}

void sclp_write(const char *buf, size_t len)
{
	size_t n = offsetof(struct data_sccb, text) + len;

	memset(&sccb, 0, n);
	sccb.data.h.length = (uint16_t)n;
	sccb.data.ev_length = (uint16_t)(n - sizeof(struct sccb_header));
	sccb.data.ev_type = EVENT_ASCII;
	memcpy(sccb.data.text, buf, len);
	service_call(CMD_WRITE_EVENT_DATA, 0xf002);
	if (sccb.data.h.response != RC_NORMAL ||
	    !(sccb.data.ev_flags & EVENT_ACCEPTED))
		cpu_halt(0xf003);
}
