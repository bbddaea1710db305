/* exitcode.c - names of hvsim's process exit statuses. */
#include "hvsim/exitcode.h"

const char *hvsim_exit__name(int status)
{
	switch (status) {
	case HVSIM_EXIT_POWEROFF: return "guest powered off";
	case HVSIM_EXIT_USAGE: return "command-line error";
	case HVSIM_EXIT_BAD_INPUT: return "malformed input file";
	case HVSIM_EXIT_TRIPLE_FAULT: return "guest triple fault";
	case HVSIM_EXIT_HANG: return "guest hang detected";
	case HVSIM_EXIT_GUEST_CRASH: return "guest crashed";
	case HVSIM_EXIT_ENGINE: return "engine error";
	case HVSIM_EXIT_RESOURCE: return "host resource error";
	}
	return (status & 1) ? "isa-debug-exit" : "unknown";
}
