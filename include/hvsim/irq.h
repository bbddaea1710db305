/*
 * irq.h - an interrupt line between two models (a wire, like qemu_irq).
 *
 * The producer calls irq__set() with the new level; the consumer's handler
 * receives its own pin number n.  A line with no handler goes nowhere.
 */
#ifndef HVSIM_IRQ_H
#define HVSIM_IRQ_H

struct irq {
	void (*handler)(void *opaque, int n, int level);
	void *opaque;
	int n;
};

static inline struct irq irq__line(void (*handler)(void *, int, int),
				   void *opaque, int n)
{
	struct irq l = { handler, opaque, n };
	return l;
}

static inline void irq__set(const struct irq *line, int level)
{
	if (line->handler)
		line->handler(line->opaque, line->n, level);
}

static inline void irq__pulse(const struct irq *line)
{
	irq__set(line, 1);
	irq__set(line, 0);
}

#endif
