/*
 * buf.c - growing buffers, and the data pool that becomes the blob's data
 * area (request messages, expected replies, texts, QCI masks).
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *aps_buf_add(struct aps_buf *buf, const void *src, size_t len)
{
	uint8_t *at;

	if (len > SIZE_MAX / 2 - buf->len)
		return NULL;
	if (buf->len + len > buf->cap) {
		size_t cap = buf->cap ? buf->cap : 64;
		uint8_t *b;

		while (cap < buf->len + len)
			cap *= 2;
		b = realloc(buf->b, cap);
		if (!b)
			return NULL;
		buf->b = b;
		buf->cap = cap;
	}
	at = buf->b + buf->len;
	if (src)
		memcpy(at, src, len);
	else
		memset(at, 0, len);
	buf->len += len;
	return at;
}

void aps_buf_free(struct aps_buf *buf)
{
	free(buf->b);
	*buf = (struct aps_buf){ 0 };
}

int aps_pool_add(struct aps_parser *p, unsigned line, const void *src,
		 size_t len, uint32_t *off)
{
	size_t pad = (APS_DATA_ALIGN - p->pool.len % APS_DATA_ALIGN) %
		     APS_DATA_ALIGN;

	/* The header and at least one step share the blob with the pool. */
	if (p->pool.len + pad + len >
	    APS_BLOB_MAX - sizeof(struct aps_header) - sizeof(struct aps_step))
		return aps_fail(p, line, "the data (requests, replies, texts) "
				"no longer fits the %u-byte blob",
				(unsigned)APS_BLOB_MAX);
	if ((pad && !aps_buf_add(&p->pool, NULL, pad)) ||
	    !aps_buf_add(&p->pool, src, len))
		return aps_oom(p, line);
	*off = (uint32_t)(p->pool.len - len);
	return 0;
}
