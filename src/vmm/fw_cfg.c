/* fw_cfg.c - QEMU firmware configuration device, I/O ports and DMA. */
#include "hvsim/fw_cfg.h"

#include <stdlib.h>
#include <string.h>

#include "hvsim/log.h"

#define FW_CFG_WRITE_CHANNEL	0x4000	/* selector bit, ignored (QEMU 2.4+) */

/* FWCfgDmaAccess.control */
#define DMA_CTL_ERROR	0x01
#define DMA_CTL_READ	0x02
#define DMA_CTL_SKIP	0x04
#define DMA_CTL_SELECT	0x08	/* key in bits 31:16 */
#define DMA_CTL_WRITE	0x10

#define DMA_ACCESS_SIZE	16	/* be32 control, be32 length, be64 address */
#define DIR_ENTRY_SIZE	64	/* be32 size, be16 select, be16 0, name[56] */
#define MAX_FILES	(0x4000 - FW_CFG_FILE_FIRST)

static const char dma_signature[8] = "QEMU CFG";

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static struct fw_cfg_item *lookup(const struct fw_cfg *f, uint16_t key)
{
	unsigned i;

	if (!(key & FW_CFG_ARCH_LOCAL) && key >= FW_CFG_FILE_FIRST &&
	    (unsigned)(key - FW_CFG_FILE_FIRST) < f->nr_files)
		return &f->files[key - FW_CFG_FILE_FIRST];
	for (i = 0; i < f->nr_items; i++)
		if (f->items[i].key == key)
			return &f->items[i];
	return NULL;
}

static uint8_t *copy_data(const void *data, uint32_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	if (p && len)
		memcpy(p, data, len);
	return p;
}

static int put_item(struct fw_cfg *f, uint16_t key, const void *data,
		    uint32_t len)
{
	struct fw_cfg_item *it = lookup(f, key);
	uint8_t *copy = copy_data(data, len);

	if (!copy)
		return -1;
	if (!it) {
		it = realloc(f->items, (f->nr_items + 1) * sizeof(*it));
		if (!it) {
			free(copy);
			return -1;
		}
		f->items = it;
		it = &f->items[f->nr_items++];
		memset(it, 0, sizeof(*it));
		it->key = key;
	}
	free(it->data);
	it->data = copy;
	it->len = len;
	return 0;
}

static int rebuild_dir(struct fw_cfg *f)
{
	uint32_t len = 4 + f->nr_files * DIR_ENTRY_SIZE;
	uint8_t *dir = calloc(1, len), *e;
	unsigned i;
	int ret;

	if (!dir)
		return -1;
	put_be32(dir, f->nr_files);
	for (i = 0, e = dir + 4; i < f->nr_files; i++, e += DIR_ENTRY_SIZE) {
		put_be32(e, f->files[i].len);
		put_be16(e + 4, FW_CFG_FILE_FIRST + i);
		memcpy(e + 8, f->files[i].name, FW_CFG_MAX_FILE_PATH);
	}
	ret = put_item(f, FW_CFG_FILE_DIR, dir, len);
	free(dir);
	return ret;
}

int fw_cfg__add_bytes(struct fw_cfg *f, uint16_t key, const void *data,
		      uint32_t len)
{
	if ((key & FW_CFG_WRITE_CHANNEL) || key == FW_CFG_FILE_DIR ||
	    (key >= FW_CFG_FILE_FIRST && !(key & FW_CFG_ARCH_LOCAL)))
		return -1;
	return put_item(f, key, data, len);
}

int fw_cfg__add_u16(struct fw_cfg *f, uint16_t key, uint16_t v)
{
	uint8_t le[2] = { v, v >> 8 };

	return fw_cfg__add_bytes(f, key, le, sizeof(le));
}

int fw_cfg__add_u32(struct fw_cfg *f, uint16_t key, uint32_t v)
{
	uint8_t le[4] = { v, v >> 8, v >> 16, v >> 24 };

	return fw_cfg__add_bytes(f, key, le, sizeof(le));
}

int fw_cfg__add_u64(struct fw_cfg *f, uint16_t key, uint64_t v)
{
	uint8_t le[8];
	unsigned i;

	for (i = 0; i < 8; i++)
		le[i] = v >> (8 * i);
	return fw_cfg__add_bytes(f, key, le, sizeof(le));
}

int fw_cfg__add_file(struct fw_cfg *f, const char *name, const void *data,
		     uint32_t len)
{
	size_t name_len = strlen(name);
	struct fw_cfg_item *files;
	unsigned pos;
	uint8_t *copy;

	if (name_len == 0 || name_len >= FW_CFG_MAX_FILE_PATH ||
	    f->nr_files == MAX_FILES)
		return -1;
	for (pos = 0; pos < f->nr_files; pos++) {
		int cmp = strcmp(name, f->files[pos].name);
		if (cmp == 0)
			return -1;
		if (cmp < 0)
			break;
	}
	copy = copy_data(data, len);
	files = realloc(f->files, (f->nr_files + 1) * sizeof(*files));
	if (!copy || !files) {
		free(copy);
		if (files)
			f->files = files;
		return -1;
	}
	f->files = files;
	memmove(&files[pos + 1], &files[pos],
		(f->nr_files - pos) * sizeof(*files));
	memset(&files[pos], 0, sizeof(*files));
	memcpy(files[pos].name, name, name_len);
	files[pos].data = copy;
	files[pos].len = len;
	f->nr_files++;
	return rebuild_dir(f);
}

static void select_key(struct fw_cfg *f, uint16_t key)
{
	f->cur_key = key & ~FW_CFG_WRITE_CHANNEL;
	f->cur_off = 0;
}

/* Bytes of the selected item left from the current offset. */
static uint32_t remaining(const struct fw_cfg *f,
			  const struct fw_cfg_item **item)
{
	const struct fw_cfg_item *it = lookup(f, f->cur_key);

	*item = it;
	return it && f->cur_off < it->len ? it->len - f->cur_off : 0;
}

/* Unknown keys and offsets past the end of an item read as zeros. */
static uint8_t data_byte(struct fw_cfg *f)
{
	const struct fw_cfg_item *it;

	if (!remaining(f, &it))
		return 0;
	return it->data[f->cur_off++];
}

/* Reads of either port return data bytes in string order; QEMU's
 * combined port does not look at the address either. */
static uint64_t io_read(void *opaque, uint64_t offset, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)data_byte(opaque) << (8 * i);
	return v;
}

static void io_write(void *opaque, uint64_t offset, uint64_t value,
		     unsigned size)
{
	if (offset == 0 && size >= 2)
		select_key(opaque, value);
	else
		log__guest_error("fw_cfg", "%u-byte write at port offset %u "
				 "ignored (data is read-only)\n", size,
				 (unsigned)offset);
}

const struct iobus_ops fw_cfg__io_ops = {
	.name = "fw_cfg",
	.read = io_read,
	.write = io_write,
};

static bool zero_fill(const struct guest_mem *mem, uint64_t gpa, uint64_t len)
{
	static const uint8_t zeros[4096];

	while (len) {
		uint64_t n = len < sizeof(zeros) ? len : sizeof(zeros);
		if (!guest_mem__write(mem, gpa, zeros, n))
			return false;
		gpa += n;
		len -= n;
	}
	return true;
}

static bool dma_read(struct fw_cfg *f, uint64_t gpa, uint32_t len)
{
	const struct fw_cfg_item *it;
	uint32_t n = remaining(f, &it);

	if (n > len)
		n = len;
	if (n && !guest_mem__write(f->mem, gpa, it->data + f->cur_off, n))
		return false;
	f->cur_off += n;
	return zero_fill(f->mem, gpa + n, len - n);
}

/* Runs the FWCfgDmaAccess at gpa and stores the resulting control word. */
static void dma_run(struct fw_cfg *f, uint64_t gpa)
{
	uint8_t access[DMA_ACCESS_SIZE], result[4];
	uint32_t control, len;
	uint64_t buf;
	const struct fw_cfg_item *it;
	bool ok = true;

	if (!guest_mem__read(f->mem, gpa, access, sizeof(access))) {
		log__guest_error("fw_cfg", "DMA descriptor %#llx not in RAM\n",
				 (unsigned long long)gpa);
		ok = false;
		goto out;
	}
	control = get_be32(access);
	len = get_be32(access + 4);
	buf = get_be64(access + 8);
	if (control & DMA_CTL_SELECT)
		select_key(f, control >> 16);
	if (control & DMA_CTL_READ) {
		ok = dma_read(f, buf, len);
		if (!ok)
			log__guest_error("fw_cfg", "DMA buffer %#llx+%#x "
					 "not in RAM\n",
					 (unsigned long long)buf, len);
	} else if (control & DMA_CTL_WRITE) {
		log__guest_error("fw_cfg", "DMA write to read-only key %#x\n",
				 f->cur_key);
		ok = false;
	} else if (control & DMA_CTL_SKIP) {
		uint32_t n = remaining(f, &it);
		f->cur_off += n < len ? n : len;
	}
out:
	/* All bits clear means done; the error bit alone means failed.  If
	 * the descriptor is not RAM this write fails too, harmlessly. */
	put_be32(result, ok ? 0 : DMA_CTL_ERROR);
	guest_mem__write(f->mem, gpa, result, sizeof(result));
}

static uint64_t dma_io_read(void *opaque, uint64_t offset, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size && offset + i < 8; i++)
		v |= (uint64_t)(uint8_t)dma_signature[offset + i] << (8 * i);
	return v;
}

/*
 * The register is big-endian: the guest byte-swaps the address before
 * OUTL, so the bytes land here in memory order.  Writing the last byte
 * (the low half at 0x518, or all 8 bytes) starts the transfer, and the
 * register reads back as zero afterwards.
 */
static void dma_io_write(void *opaque, uint64_t offset, uint64_t value,
			 unsigned size)
{
	struct fw_cfg *f = opaque;
	uint64_t gpa;
	unsigned i;

	for (i = 0; i < size && offset + i < 8; i++)
		f->dma_addr[offset + i] = value >> (8 * i);
	if (offset + size < 8)
		return;
	gpa = get_be64(f->dma_addr);
	memset(f->dma_addr, 0, sizeof(f->dma_addr));
	dma_run(f, gpa);
}

const struct iobus_ops fw_cfg__dma_ops = {
	.name = "fw_cfg-dma",
	.read = dma_io_read,
	.write = dma_io_write,
};

void fw_cfg__reset(struct fw_cfg *f)
{
	select_key(f, FW_CFG_SIGNATURE);
	memset(f->dma_addr, 0, sizeof(f->dma_addr));
}

void fw_cfg__init(struct fw_cfg *f, struct guest_mem *mem)
{
	memset(f, 0, sizeof(*f));
	f->mem = mem;
	put_item(f, FW_CFG_SIGNATURE, "QEMU", 4);
	/* bit 0: traditional interface, bit 1: DMA */
	fw_cfg__add_u32(f, FW_CFG_ID, 3);
	rebuild_dir(f);
}

void fw_cfg__exit(struct fw_cfg *f)
{
	unsigned i;

	for (i = 0; i < f->nr_items; i++)
		free(f->items[i].data);
	for (i = 0; i < f->nr_files; i++)
		free(f->files[i].data);
	free(f->items);
	free(f->files);
	memset(f, 0, sizeof(*f));
}
