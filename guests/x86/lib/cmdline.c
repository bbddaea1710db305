/* cmdline.c - multiboot v1 info: the command line and key=value words. */
#include "guest.h"

/* Set by the entry code from EAX/EBX; in .data so clearing .bss keeps them. */
uint32_t mb_magic __attribute__((section(".data")));
uint32_t mb_info __attribute__((section(".data")));

const char *mb_cmdline(void)
{
	if (mb_magic != MULTIBOOT_BOOTLOADER_MAGIC || !mb_info)
		return NULL;
	const struct multiboot_info *mbi = (const struct multiboot_info *)(uintptr_t)mb_info;
	if (!(mbi->flags & (1u << 2)) || !mbi->cmdline)
		return NULL;
	return (const char *)(uintptr_t)mbi->cmdline;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_uint(const char *key, uint32_t *val)
{
	const char *s = mb_cmdline();
	size_t klen = strlen(key);
	if (!s)
		return 0;
	while (*s) {
		while (is_space(*s))
			s++;
		if (!strncmp(s, key, klen) && s[klen] == '=') {
			const char *p = s + klen + 1;
			uint32_t v = 0, base = 10;
			if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
				base = 16;
				p += 2;
			}
			const char *start = p;
			for (;; p++) {
				uint32_t d;
				if (*p >= '0' && *p <= '9')
					d = (uint32_t)(*p - '0');
				else if (base == 16 && *p >= 'a' && *p <= 'f')
					d = (uint32_t)(*p - 'a' + 10);
				else if (base == 16 && *p >= 'A' && *p <= 'F')
					d = (uint32_t)(*p - 'A' + 10);
				else
					break;
				v = v * base + d;
			}
			if (p != start && (!*p || is_space(*p))) {
				*val = v;
				return 1;
			}
		}
		while (*s && !is_space(*s))
			s++;
	}
	return 0;
}
