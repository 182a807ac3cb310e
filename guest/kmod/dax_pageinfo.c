// SPDX-License-Identifier: GPL-2.0
/*
 * dax_pageinfo - test-only view of ZONE_DEVICE struct pages and of the
 * kernel page tables that map them in the vmemmap.
 *
 * The device-dax compound page series changes two things that userspace
 * cannot observe: the layout of the struct pages of a namespace (head and
 * tail pages, refcounts, ->mapping on the head only) and how many physical
 * pages back the vmemmap of that namespace (deduplicated tail pages).
 * /proc/kpageflags skips ZONE_DEVICE pfns, so the tests load this module
 * and read two debugfs files instead:
 *
 *   /sys/kernel/debug/dax_pageinfo/pages    struct page fields per pfn
 *   /sys/kernel/debug/dax_pageinfo/vmemmap  page table walk of the memmap
 *   /sys/kernel/debug/dax_pageinfo/free     free pages, per-cpu lists included
 *   /sys/kernel/debug/dax_pageinfo/leak     hold N pages: a leak on demand,
 *                                           so tests can show they see one
 *   /sys/kernel/debug/dax_pageinfo/timing   calls and time spent in named
 *                                           kernel functions (kretprobes)
 *   /sys/kernel/debug/dax_pageinfo/pgmap    every reader of page->pgmap agrees
 *                                           with get_dev_pagemap(), tails too;
 *                                           with "order=O" also the compound
 *                                           layout of every pfn
 *   /sys/kernel/debug/dax_pageinfo/refbias  extra references on a compound
 *                                           head (refcount near INT_MAX)
 *   /sys/kernel/debug/dax_pageinfo/gup      pin/get pages of the writer and
 *                                           report the head's refcount
 *   /sys/kernel/debug/dax_pageinfo/shared_key  (series) 1 while
 *                                           compound_head()'s shared-tail
 *                                           static key is on
 *
 * Write "START_PFN NR" (decimal or 0x-hex) to a file, then read it.
 * "vmemmap" also takes "START_PFN NR summary" to print only the summary
 * line, for ranges too large to list (1 TiB of pfns is 4M vmemmap pages).
 *
 * The module uses only interfaces that exist in 5.10 unpatched, so the
 * same source measures the base kernel and the patched one; the compound
 * order is read from the struct pages, never from the dev_pagemap.  The
 * one exception is page_pgmap(), used when the Makefile finds it in the
 * kernel's mm.h (HAVE_PAGE_PGMAP), else replaced by the raw page->pgmap,
 * and the shared-tail static key, read under CONFIG_DEVMAP_SHARED_TAILS.
 *
 * The last request written is global (not per open file) so that shell
 * tests can "echo ... > file; cat file".
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/kernel.h>
#include <linux/memory_hotplug.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/uaccess.h>

/* Largest NR for "pages": one line per pfn, 1M lines is already ~130 MB. */
#define DPI_PAGES_MAX_NR	(1UL << 20)
/*
 * Largest NR for "vmemmap": 2 TiB of 4K pfns, i.e. 8M vmemmap pages and a
 * 64 MB record array.  Enough for the 1 TiB devices the tests aim at.
 */
#define DPI_VMEMMAP_MAX_NR	(1UL << 29)
/*
 * A tail page further than this from its head is not a plausible compound
 * page (1G pages have 2^18 subpages); refuse to follow such a pointer.
 */
#define DPI_MAX_COMPOUND_NR	(1UL << (PUD_SHIFT - PAGE_SHIFT))
/* Largest pfn window counted with a bitmap (32 MB); sort beyond that. */
#define DPI_BITMAP_MAX_BITS	(1UL << 28)
/*
 * Tails of the series' deduplicated devmaps that all compound pages of a
 * node and order share (include/linux/page-flags.h): bit 0, this bit, and
 * the compound order from bit 2 in ->compound_head. Defined here too so
 * that the module builds against the base kernel, which has none.
 */
#ifndef COMPOUND_HEAD_SHARED
#define COMPOUND_HEAD_SHARED		2UL
#define COMPOUND_HEAD_ORDER_SHIFT	2
#endif

/* Number of pfns the vmemmap area can describe. */
#define DPI_MAX_PFNS		(1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT))

/* Longest accepted request, "0x%lx 0x%lx summary" fits easily. */
#define DPI_CMD_MAX		128

/**
 * struct dpi_request - the range the next read of a file reports
 * @start: first pfn
 * @nr: number of pfns, 0 when nothing was written yet
 * @stride: pages only: distance between the reported pfns (default 1), so
 *	that one read can show e.g. every compound head of a device
 * @summary: vmemmap only: print just the summary line
 * @order: pgmap only: the compound order the struct pages must have, or
 *	-1 to check only the pgmap readers
 */
struct dpi_request {
	unsigned long start;
	unsigned long nr;
	unsigned long stride;
	bool summary;
	int order;
};

/* The optional third word a file accepts (dpi_parse_request()). */
enum dpi_opt { DPI_OPT_STRIDE, DPI_OPT_SUMMARY, DPI_OPT_ORDER };

static DEFINE_MUTEX(dpi_lock);
static struct dpi_request dpi_pages_req;
static struct dpi_request dpi_vmemmap_req;
static struct dentry *dpi_dir;

/*
 * Parse one number: "0x"/"0X" prefix means hex, otherwise decimal (a
 * leading zero does not mean octal, so "010" is ten).
 */
static int dpi_parse_ulong(const char *tok, unsigned long *val)
{
	if (tok[0] == '0' && (tok[1] == 'x' || tok[1] == 'X'))
		return kstrtoul(tok + 2, 16, val);
	return kstrtoul(tok, 10, val);
}

/*
 * Parse "START NR" or "START NR OPT" from a user buffer, OPT being
 * "stride=STRIDE", "summary" or "order=ORDER" as @opt says.  Any
 * malformed input is -EINVAL without a log message: tests feed bad input
 * on purpose.
 */
static int dpi_parse_request(const char __user *ubuf, size_t count,
			     unsigned long max_nr, enum dpi_opt opt,
			     struct dpi_request *req)
{
	unsigned long val;
	char buf[DPI_CMD_MAX];
	char *cur, *tok;
	char *toks[4];
	int ntok = 0;
	int ret;

	if (count == 0 || count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	cur = strim(buf);
	while ((tok = strsep(&cur, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (ntok == ARRAY_SIZE(toks))
			return -EINVAL;
		toks[ntok++] = tok;
	}
	if (ntok < 2 || ntok > 3)
		return -EINVAL;

	ret = dpi_parse_ulong(toks[0], &req->start);
	if (ret)
		return -EINVAL;
	ret = dpi_parse_ulong(toks[1], &req->nr);
	if (ret)
		return -EINVAL;
	if (req->nr == 0 || req->nr > max_nr)
		return -EINVAL;
	req->stride = 1;
	req->summary = false;
	req->order = -1;
	if (ntok == 3 && opt == DPI_OPT_STRIDE) {
		if (strncmp(toks[2], "stride=", 7) ||
		    dpi_parse_ulong(toks[2] + 7, &req->stride) ||
		    req->stride == 0 || req->stride > DPI_MAX_PFNS)
			return -EINVAL;
	} else if (ntok == 3 && opt == DPI_OPT_ORDER) {
		if (strncmp(toks[2], "order=", 6) ||
		    dpi_parse_ulong(toks[2] + 6, &val) ||
		    val > PUD_SHIFT - PAGE_SHIFT)
			return -EINVAL;
		req->order = val;
	} else if (ntok == 3) {
		if (strcmp(toks[2], "summary"))
			return -EINVAL;
		req->summary = true;
	}
	/* pfn_to_page() of the range must stay inside the vmemmap area. */
	if (req->start >= DPI_MAX_PFNS ||
	    (req->nr - 1) > (DPI_MAX_PFNS - 1 - req->start) / req->stride)
		return -EINVAL;
	return 0;
}

/* ---------------------------------------------------------------- pages */

/*
 * The head that @raw, the ->compound_head word of @page, names, decoded
 * here rather than with compound_head() so that a broken tail (the kind of
 * bug the tests look for) is reported rather than followed: @page itself if
 * it is no tail, the address in @raw minus one for a tail linked to its
 * head, and for a shared tail the start of the 2^order struct pages around
 * @page. NULL for a shared tail with an impossible order.
 */
static struct page *dpi_raw_head(struct page *page, unsigned long raw)
{
	unsigned long order = raw >> COMPOUND_HEAD_ORDER_SHIFT;

	if (!(raw & 1))
		return page;
	if (!(raw & COMPOUND_HEAD_SHARED))
		return (struct page *)(raw - 1);
	if (order == 0 || order > PUD_SHIFT - PAGE_SHIFT)
		return NULL;
	return (struct page *)((unsigned long)page &
			       ~((sizeof(struct page) << order) - 1));
}

/*
 * Print one line for @pfn.  The memmap of a ZONE_DEVICE pfn is kept alive
 * by a dev_pagemap reference for the duration of the read; other pfns are
 * only read when their section is online, since an offline section's
 * memmap may be uninitialised.
 */
static void dpi_show_pfn(struct seq_file *m, unsigned long pfn)
{
	struct dev_pagemap *pgmap;
	struct page *page, *head;
	unsigned long raw, head_pfn;
	unsigned int order = 0;
	int pincount = -1;
	bool tail;

	if (!pfn_valid(pfn)) {
		seq_printf(m, "pfn=%lu invalid\n", pfn);
		return;
	}

	pgmap = get_dev_pagemap(pfn, NULL);
	if (pgmap)
		page = pfn_to_page(pfn);
	else
		page = pfn_to_online_page(pfn);
	if (!page) {
		seq_printf(m, "pfn=%lu offline\n", pfn);
		return;
	}

	/*
	 * With CONFIG_DEBUG_VM an uninitialised struct page is all ones:
	 * its compound_head "pointer" is garbage and the page-flag helpers
	 * BUG on it, so report it instead of dereferencing it.
	 */
	if (PagePoisoned(page)) {
		seq_printf(m, "pfn=%lu poisoned\n", pfn);
		goto out;
	}

	/*
	 * Open-code compound_head() so that a broken tail pointer (the kind
	 * of bug the tests look for) is reported rather than followed.
	 */
	raw = READ_ONCE(page->compound_head);
	tail = raw & 1;
	head = dpi_raw_head(page, raw);
	head_pfn = head ? page_to_pfn(head) : 0;
	if (tail && (!head || head_pfn > pfn ||
		     pfn - head_pfn >= DPI_MAX_COMPOUND_NR ||
		     !pfn_valid(head_pfn) || PagePoisoned(head))) {
		seq_printf(m, "pfn=%lu bad_compound_head=0x%lx\n", pfn, raw);
		goto out;
	}

	if (PageHead(head)) {
		order = compound_order(head);
		if (hpage_pincount_available(head))
			pincount = atomic_read(compound_pincount_ptr(head));
	}

	seq_printf(m,
		   "pfn=%lu head=%d tail=%d head_pfn=%lu order=%u refcount=%d pincount=%d mapping=0x%lx index=%lu zone_device=%d\n",
		   pfn, PageHead(page) ? 1 : 0, tail ? 1 : 0, head_pfn, order,
		   page_ref_count(page), pincount,
		   (unsigned long)READ_ONCE(page->mapping), READ_ONCE(page->index),
		   is_zone_device_page(page) ? 1 : 0);
out:
	if (pgmap)
		put_dev_pagemap(pgmap);
}

/* Per-open snapshot of the request, so a concurrent write cannot tear it. */
static void *dpi_pages_start(struct seq_file *m, loff_t *pos)
{
	struct dpi_request *req = m->private;

	/* Reading before any request was written is an error, not EOF. */
	if (!req->nr)
		return ERR_PTR(-ENODATA);
	if (*pos < 0 || (unsigned long)*pos >= req->nr)
		return NULL;
	return pos;
}

static void *dpi_pages_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return dpi_pages_start(m, pos);
}

static void dpi_pages_stop(struct seq_file *m, void *v)
{
}

static int dpi_pages_show(struct seq_file *m, void *v)
{
	struct dpi_request *req = m->private;
	loff_t pos = *(loff_t *)v;

	dpi_show_pfn(m, req->start + pos * req->stride);
	/* Up to 1M lines: give others a chance between lines. */
	cond_resched();
	return 0;
}

static const struct seq_operations dpi_pages_sops = {
	.start = dpi_pages_start,
	.next = dpi_pages_next,
	.stop = dpi_pages_stop,
	.show = dpi_pages_show,
};

/*
 * Every open gets a seq_file, also write-only ones, so that read, lseek
 * and release need no special cases.  The request is snapshotted at open.
 */
static int dpi_pages_open(struct inode *inode, struct file *file)
{
	struct dpi_request *req;

	req = __seq_open_private(file, &dpi_pages_sops, sizeof(*req));
	if (!req)
		return -ENOMEM;
	mutex_lock(&dpi_lock);
	*req = dpi_pages_req;
	mutex_unlock(&dpi_lock);
	return 0;
}

static ssize_t dpi_pages_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct dpi_request req;
	int ret;

	ret = dpi_parse_request(ubuf, count, DPI_PAGES_MAX_NR, DPI_OPT_STRIDE, &req);
	if (ret)
		return ret;
	mutex_lock(&dpi_lock);
	dpi_pages_req = req;
	mutex_unlock(&dpi_lock);
	return count;
}

static const struct file_operations dpi_pages_fops = {
	.owner = THIS_MODULE,
	.open = dpi_pages_open,
	.read = seq_read,
	.write = dpi_pages_write,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* -------------------------------------------------------------- vmemmap */

/*
 * One record per vmemmap page: the physical pfn backing it, the level of
 * the leaf entry that maps it and whether that entry is read-only.
 */
#define DPI_LVL_NONE	0
#define DPI_LVL_PTE	1
#define DPI_LVL_PMD	2
#define DPI_LVL_PUD	3
#define DPI_LVL_MASK	3
#define DPI_REC_RO	4
#define DPI_REC_SHIFT	4

static const char * const dpi_lvl_name[] = {
	[DPI_LVL_NONE] = "none",
	[DPI_LVL_PTE] = "pte",
	[DPI_LVL_PMD] = "pmd",
	[DPI_LVL_PUD] = "pud",
};

/**
 * struct dpi_vmemmap_iter - result of one walk, built when the file is opened
 * @req: the request this walk answers
 * @vstart: virtual address of the first vmemmap page
 * @nr_vpages: number of vmemmap pages in [@vstart, end of the range)
 * @recs: one record per vmemmap page, NULL in summary mode
 * @table_pfns: per vmemmap page, the pfn of the PTE table that maps it
 *	(ULONG_MAX if none), NULL in summary mode
 * @mapped: vmemmap pages that have a present leaf entry
 * @distinct: distinct physical pages among those
 * @pte_tables: distinct PTE tables used to map the range
 */
struct dpi_vmemmap_iter {
	struct dpi_request req;
	unsigned long vstart;
	unsigned long nr_vpages;
	u64 *recs;
	unsigned long *table_pfns;
	unsigned long mapped;
	unsigned long distinct;
	unsigned long pte_tables;
};

/*
 * Walk the kernel page tables for one vmemmap address and return its
 * record.  If the address is mapped through a PTE table, *@table_pfn is
 * set to the pfn of that table, else to ULONG_MAX.
 *
 * init_mm is not exported to modules in 5.10, so the walk starts at the
 * top-level table of the reading task (current->active_mm).  Its kernel
 * half is a copy of init_mm's, taken at fork and kept in sync by
 * sync_global_pgds(), and everything below the top level is shared with
 * init_mm; the walk therefore sees what init_mm maps, as the CPU sees it
 * for this task.
 *
 * The vmemmap is never torn down while a dev_pagemap reference is held on
 * the pfns it describes, which the caller takes care of; the boot memmap
 * is never torn down at all.
 */
static u64 dpi_walk(unsigned long addr, unsigned long *table_pfn)
{
	pgd_t *pgdp;
	p4d_t *p4dp;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t pte;
	unsigned long pfn;

	*table_pfn = ULONG_MAX;

	pgdp = pgd_offset(current->active_mm, addr);
	if (pgd_none(READ_ONCE(*pgdp)) || pgd_bad(READ_ONCE(*pgdp)))
		return DPI_LVL_NONE;
	p4dp = p4d_offset(pgdp, addr);
	if (p4d_none(READ_ONCE(*p4dp)) || p4d_bad(READ_ONCE(*p4dp)))
		return DPI_LVL_NONE;
	pudp = pud_offset(p4dp, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud) || !pud_present(pud))
		return DPI_LVL_NONE;
	if (pud_large(pud)) {
		pfn = pud_pfn(pud) + ((addr & ~PUD_MASK) >> PAGE_SHIFT);
		return ((u64)pfn << DPI_REC_SHIFT) | DPI_LVL_PUD |
		       (pud_write(pud) ? 0 : DPI_REC_RO);
	}
	pmdp = pmd_offset(pudp, addr);
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd) || !pmd_present(pmd))
		return DPI_LVL_NONE;
	if (pmd_large(pmd)) {
		pfn = pmd_pfn(pmd) + ((addr & ~PMD_MASK) >> PAGE_SHIFT);
		return ((u64)pfn << DPI_REC_SHIFT) | DPI_LVL_PMD |
		       (pmd_write(pmd) ? 0 : DPI_REC_RO);
	}
	*table_pfn = pmd_pfn(pmd);
	pte = READ_ONCE(*pte_offset_kernel(&pmd, addr));
	if (!pte_present(pte))
		return DPI_LVL_NONE;
	return ((u64)pte_pfn(pte) << DPI_REC_SHIFT) | DPI_LVL_PTE |
	       (pte_write(pte) ? 0 : DPI_REC_RO);
}

static int dpi_cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a;
	unsigned long y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* Number of distinct values in @v[0..n), which it sorts. */
static unsigned long dpi_count_distinct_sort(unsigned long *v, unsigned long n)
{
	unsigned long i, distinct = 0;

	sort(v, n, sizeof(*v), dpi_cmp_ulong, NULL);
	for (i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			distinct++;
	return distinct;
}

/*
 * Count the distinct physical pfns of the mapped records.  The pfns of a
 * memmap lie in a narrow window (DRAM, or the device itself for an
 * altmap), so a bitmap over [min, max] is small and linear; sorting is
 * the fallback for a window too large to allocate.
 */
static int dpi_count_distinct(struct dpi_vmemmap_iter *it, unsigned long *pfns,
			      unsigned long n)
{
	unsigned long i, lo = ULONG_MAX, hi = 0, span, distinct = 0;
	unsigned long *bits = NULL;

	if (!n) {
		it->distinct = 0;
		return 0;
	}
	for (i = 0; i < n; i++) {
		lo = min(lo, pfns[i]);
		hi = max(hi, pfns[i]);
	}
	span = hi - lo + 1;
	if (span <= DPI_BITMAP_MAX_BITS)
		bits = kvcalloc(BITS_TO_LONGS(span), sizeof(long),
				GFP_KERNEL | __GFP_NOWARN);
	if (bits) {
		for (i = 0; i < n; i++) {
			if (!__test_and_set_bit(pfns[i] - lo, bits))
				distinct++;
			if (!(i & 0xffff))
				cond_resched();
		}
		kvfree(bits);
	} else {
		distinct = dpi_count_distinct_sort(pfns, n);
	}
	it->distinct = distinct;
	return 0;
}

/*
 * Walk the vmemmap of the requested pfn range, keeping a dev_pagemap
 * reference on the ZONE_DEVICE pfns whose struct pages are being looked
 * at so that their memmap cannot be unplugged under the walk.
 */
static int dpi_vmemmap_collect(struct dpi_vmemmap_iter *it)
{
	const unsigned long per_vpage = PAGE_SIZE / sizeof(struct page);
	unsigned long vend, i, *pfns, *tables, nr_tables = 0;
	unsigned long prev_table = ULONG_MAX;
	struct dev_pagemap *pgmap = NULL;
	int ret = 0;

	/*
	 * One vmemmap page holds 64 struct pages only if sizeof(struct
	 * page) divides PAGE_SIZE; the address arithmetic below relies on
	 * it.
	 */
	BUILD_BUG_ON(PAGE_SIZE % sizeof(struct page));

	it->vstart = (unsigned long)pfn_to_page(it->req.start) & PAGE_MASK;
	vend = PAGE_ALIGN((unsigned long)(pfn_to_page(it->req.start +
						       it->req.nr - 1) + 1));
	it->nr_vpages = (vend - it->vstart) >> PAGE_SHIFT;

	pfns = kvmalloc_array(it->nr_vpages, sizeof(*pfns), GFP_KERNEL);
	/* At most one new PTE table per PMD entry visited, plus the ends. */
	tables = kvmalloc_array(it->nr_vpages / PTRS_PER_PTE + 2,
				sizeof(*tables), GFP_KERNEL);
	if (!it->req.summary) {
		it->recs = kvmalloc_array(it->nr_vpages, sizeof(*it->recs),
					  GFP_KERNEL);
		it->table_pfns = kvmalloc_array(it->nr_vpages,
						sizeof(*it->table_pfns),
						GFP_KERNEL);
	}
	if (!pfns || !tables ||
	    (!it->req.summary && (!it->recs || !it->table_pfns))) {
		ret = -ENOMEM;
		goto out;
	}

	for (i = 0; i < it->nr_vpages; i++) {
		unsigned long addr = it->vstart + (i << PAGE_SHIFT);
		unsigned long pfn = page_to_pfn((struct page *)addr);
		unsigned long table;
		u64 rec;

		/*
		 * The first pfn described by this vmemmap page; all of its
		 * 64 pfns are in the same subsection and so share a pgmap.
		 */
		pfn = ALIGN_DOWN(pfn, per_vpage);
		if (pfn_valid(pfn))
			pgmap = get_dev_pagemap(pfn, pgmap);

		rec = dpi_walk(addr, &table);
		if (it->recs) {
			it->recs[i] = rec;
			it->table_pfns[i] = table;
		}
		if ((rec & DPI_LVL_MASK) != DPI_LVL_NONE)
			pfns[it->mapped++] = rec >> DPI_REC_SHIFT;
		if (table != ULONG_MAX && table != prev_table)
			tables[nr_tables++] = table;
		if (table != ULONG_MAX)
			prev_table = table;

		if (!(i & 0xfff))
			cond_resched();
	}
	if (pgmap)
		put_dev_pagemap(pgmap);

	it->pte_tables = dpi_count_distinct_sort(tables, nr_tables);
	ret = dpi_count_distinct(it, pfns, it->mapped);
out:
	kvfree(tables);
	kvfree(pfns);
	if (ret) {
		kvfree(it->recs);
		it->recs = NULL;
		kvfree(it->table_pfns);
		it->table_pfns = NULL;
	}
	return ret;
}

/* Lines: one per vmemmap page (unless summary mode), then the summary. */
static unsigned long dpi_vmemmap_lines(struct dpi_vmemmap_iter *it)
{
	return it->req.summary ? 1 : it->nr_vpages + 1;
}

static void *dpi_vmemmap_start(struct seq_file *m, loff_t *pos)
{
	struct dpi_vmemmap_iter *it = m->private;

	if (!it->req.nr)
		return ERR_PTR(-ENODATA);
	if (*pos < 0 || (unsigned long)*pos >= dpi_vmemmap_lines(it))
		return NULL;
	return pos;
}

static void *dpi_vmemmap_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return dpi_vmemmap_start(m, pos);
}

static void dpi_vmemmap_stop(struct seq_file *m, void *v)
{
}

static int dpi_vmemmap_show(struct seq_file *m, void *v)
{
	struct dpi_vmemmap_iter *it = m->private;
	unsigned long idx = *(loff_t *)v;
	unsigned long addr;
	u64 rec;

	if (idx == dpi_vmemmap_lines(it) - 1) {
		seq_printf(m, "summary pages=%lu distinct=%lu pte_tables=%lu unmapped=%lu\n",
			   it->mapped, it->distinct, it->pte_tables,
			   it->nr_vpages - it->mapped);
		return 0;
	}

	addr = it->vstart + (idx << PAGE_SHIFT);
	rec = it->recs[idx];
	if ((rec & DPI_LVL_MASK) == DPI_LVL_NONE) {
		seq_printf(m, "vaddr=0x%lx unmapped\n", addr);
		return 0;
	}
	seq_printf(m, "vaddr=0x%lx phys=0x%llx level=%s", addr,
		   (unsigned long long)(rec >> DPI_REC_SHIFT) << PAGE_SHIFT,
		   dpi_lvl_name[rec & DPI_LVL_MASK]);
	if (it->table_pfns[idx] != ULONG_MAX)
		seq_printf(m, " table=0x%llx",
			   (unsigned long long)it->table_pfns[idx] << PAGE_SHIFT);
	seq_printf(m, " ro=%d\n", (rec & DPI_REC_RO) ? 1 : 0);
	return 0;
}

static const struct seq_operations dpi_vmemmap_sops = {
	.start = dpi_vmemmap_start,
	.next = dpi_vmemmap_next,
	.stop = dpi_vmemmap_stop,
	.show = dpi_vmemmap_show,
};

/*
 * The walk happens at open (of a readable file, after a request was
 * written) so that every read of one open sees the same snapshot.
 */
static int dpi_vmemmap_open(struct inode *inode, struct file *file)
{
	struct dpi_vmemmap_iter *it;
	int ret;

	it = __seq_open_private(file, &dpi_vmemmap_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	mutex_lock(&dpi_lock);
	it->req = dpi_vmemmap_req;
	mutex_unlock(&dpi_lock);
	if (!(file->f_mode & FMODE_READ) || !it->req.nr)
		return 0;
	ret = dpi_vmemmap_collect(it);
	if (ret) {
		seq_release_private(inode, file);
		return ret;
	}
	return 0;
}

static int dpi_vmemmap_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct dpi_vmemmap_iter *it = m->private;

	kvfree(it->recs);
	kvfree(it->table_pfns);
	return seq_release_private(inode, file);
}

static ssize_t dpi_vmemmap_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct dpi_request req;
	int ret;

	ret = dpi_parse_request(ubuf, count, DPI_VMEMMAP_MAX_NR, DPI_OPT_SUMMARY, &req);
	if (ret)
		return ret;
	mutex_lock(&dpi_lock);
	dpi_vmemmap_req = req;
	mutex_unlock(&dpi_lock);
	return count;
}

static const struct file_operations dpi_vmemmap_fops = {
	.owner = THIS_MODULE,
	.open = dpi_vmemmap_open,
	.read = seq_read,
	.write = dpi_vmemmap_write,
	.llseek = seq_lseek,
	.release = dpi_vmemmap_release,
};

/*
 * "free": the number of free pages, counting the pages that sit on the
 * per-cpu free lists.  MemFree (NR_FREE_PAGES) leaves those out, and
 * what an enable/disable cycle frees lands there first: up to pcp->high
 * pages per zone and cpu (hundreds of kB each in a 2 GiB guest), which
 * is why MemFree alone wanders by +-500 kB with no leak behind it.  The
 * per-cpu counts are read without draining the lists; the tests read
 * this file in a quiet guest, where nothing moves pages meanwhile.
 *
 * Objects that the last commands freed by RCU (dentries and inodes
 * dropped by drop_caches, kernfs nodes, files) still hold their slab
 * pages until a grace period has passed: wait for those callbacks first.
 */
static int dpi_free_show(struct seq_file *m, void *v)
{
	unsigned long pcp = 0;
	struct zone *zone;
	int nid, cpu;

	rcu_barrier();
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (zone = pgdat->node_zones;
		     zone < pgdat->node_zones + MAX_NR_ZONES; zone++) {
			if (!populated_zone(zone))
				continue;
			for_each_online_cpu(cpu)
				pcp += READ_ONCE(per_cpu_ptr(zone->pageset, cpu)->pcp.count);
		}
	}
	seq_printf(m, "free=%lu pcp=%lu total=%lu\n",
		   global_zone_page_state(NR_FREE_PAGES), pcp,
		   global_zone_page_state(NR_FREE_PAGES) + pcp);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dpi_free);

#ifdef CONFIG_DEVMAP_SHARED_TAILS
/*
 * "shared_key" (series): 1 while the static key that makes
 * compound_head() look for shared tails is on, 0 while it is off. It must
 * be on exactly while a page of shared tails exists, i.e. while some
 * deduplicated memmap is populated.
 */
static int dpi_shared_key_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%d\n", static_key_enabled(&devmap_shared_tails_key));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dpi_shared_key);
#endif

/*
 * "leak": write N to take N more pages from the page allocator and hold
 * them, write 0 to give every held page back (unload does too); read the
 * number held.  The leak tests inject a known leak this way to show that
 * their measurement turns red on one page per cycle.
 */
static LIST_HEAD(dpi_leaked);
static unsigned long dpi_nr_leaked;

static void dpi_leak_release(void)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &dpi_leaked, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
	dpi_nr_leaked = 0;
}

static ssize_t dpi_leak_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned long nr;
	int ret;

	ret = kstrtoul_from_user(ubuf, count, 10, &nr);
	if (ret)
		return ret;
	if (nr > DPI_PAGES_MAX_NR)
		return -EINVAL;
	mutex_lock(&dpi_lock);
	if (!nr)
		dpi_leak_release();
	for (; nr; nr--) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page) {
			ret = -ENOMEM;
			break;
		}
		list_add(&page->lru, &dpi_leaked);
		dpi_nr_leaked++;
	}
	mutex_unlock(&dpi_lock);
	return ret ? ret : count;
}

static int dpi_leak_show(struct seq_file *m, void *v)
{
	mutex_lock(&dpi_lock);
	seq_printf(m, "%lu\n", dpi_nr_leaked);
	mutex_unlock(&dpi_lock);
	return 0;
}

static int dpi_leak_open(struct inode *inode, struct file *file)
{
	return single_open(file, dpi_leak_show, NULL);
}

static const struct file_operations dpi_leak_fops = {
	.owner = THIS_MODULE,
	.open = dpi_leak_open,
	.read = seq_read,
	.write = dpi_leak_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ------------------------------------------------- helpers for commands */

/*
 * Copy a short command from user space into @buf (of @size bytes) and
 * split it at white space into at most @max tokens.  Returns the number
 * of tokens, or -EINVAL for a command that is too long, empty or has
 * more than @max tokens (no log message: tests feed bad input on
 * purpose).
 */
static int dpi_tokens(const char __user *ubuf, size_t count, char *buf,
		      size_t size, char **toks, int max)
{
	char *cur, *tok;
	int ntok = 0;

	if (count == 0 || count >= size)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	cur = strim(buf);
	while ((tok = strsep(&cur, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (ntok == max)
			return -EINVAL;
		toks[ntok++] = tok;
	}
	return ntok ? ntok : -EINVAL;
}

/* ---------------------------------------------------------------- pgmap */

/*
 * "pgmap": write "START_PFN NR", read
 *
 *   checked=<N> tails=<T> mismatch=<M>[ first_pfn=<P> check=<name>[ got=0x.. want=0x..]]
 *
 * The struct page of a ZONE_DEVICE pfn names its dev_pagemap in
 * page->pgmap, which shares its word with page->compound_head.  In a
 * compound devmap page the tails' word holds the head pointer (| 1), so
 * every reader of the pgmap has to go through the head: the series adds
 * page_pgmap() for that, and the helpers that decide what kind of device
 * memory a page is (is_device_private_page(), is_pci_p2pdma_page()) must
 * use it.  For every pfn this checks that
 * the pgmap the page gives is the one get_dev_pagemap() (the
 * authoritative lookup by physical address) returns, and that each
 * helper says the same for the page as for its head.
 *
 * The base kernel has no page_pgmap() and no compound devmap pages; there
 * the raw word is what its own helpers read, and is right.  The Makefile
 * defines HAVE_PAGE_PGMAP when the kernel's mm.h has the helper.
 */
#define DPI_PGMAP_MAX_NR	DPI_VMEMMAP_MAX_NR

#ifdef HAVE_PAGE_PGMAP
static struct dev_pagemap *dpi_page_pgmap(const struct page *page)
{
	return page_pgmap(page);
}
#else
static struct dev_pagemap *dpi_page_pgmap(const struct page *page)
{
	return READ_ONCE(page->pgmap);
}
#endif

/**
 * struct dpi_pgmap_result - outcome of the last "pgmap" request
 * @nr: pfns checked, 0 when there is no result
 * @order: the layout order checked, -1 when the layout was not checked
 * @tails: how many of them are compound tails
 * @heads: layout: pfns that stand for a whole page (compound heads, or
 *	every pfn at order 0)
 * @busy: layout: heads whose refcount is not the idle 1 (mapped, pinned)
 * @hwpoison: layout: heads with PG_hwpoison
 * @mismatch: how many failed at least one check
 * @first_pfn: the first pfn that failed
 * @first_check: the check it failed first
 * @got: for check "pgmap": the pgmap the page gave
 * @want: for check "pgmap": the one get_dev_pagemap() returned
 */
struct dpi_pgmap_result {
	unsigned long nr;
	int order;
	unsigned long tails;
	unsigned long heads;
	unsigned long busy;
	unsigned long hwpoison;
	unsigned long mismatch;
	unsigned long first_pfn;
	const char *first_check;
	unsigned long got;
	unsigned long want;
};

static struct dpi_pgmap_result dpi_pgmap_res;

/*
 * Check one struct page against @ref, the pgmap that holds its pfn.
 * Returns NULL if all is well, else the name of the first failed check;
 * *@tail says whether the page is a compound tail, *@got is the pgmap
 * the page gave.  A tail whose head pointer is implausible is reported,
 * not followed (as in "pages").
 */
static const char *dpi_pgmap_check_pfn(unsigned long pfn, struct page *page,
				       struct dev_pagemap *ref, bool *tail,
				       unsigned long *got)
{
	unsigned long raw, head_pfn;
	struct page *head = page;

	*tail = false;
	*got = 0;
	if (PagePoisoned(page))
		return "poisoned";
	raw = READ_ONCE(page->compound_head);
	if (raw & 1) {
		head = dpi_raw_head(page, raw);
		if (!head)
			return "bad_compound_head";
		head_pfn = page_to_pfn(head);
		if (head_pfn > pfn || pfn - head_pfn >= DPI_MAX_COMPOUND_NR ||
		    !pfn_valid(head_pfn) || PagePoisoned(head))
			return "bad_compound_head";
		*tail = true;
	}
	*got = (unsigned long)dpi_page_pgmap(page);
	if (*got != (unsigned long)ref)
		return "pgmap";
	if (is_device_private_page(page) != is_device_private_page(head))
		return "device_private";
	if (is_pci_p2pdma_page(page) != is_pci_p2pdma_page(head))
		return "p2pdma";
	/*
	 * Not page_is_devmap_managed(): it takes a head, like put_page(),
	 * release_pages() and put_devmap_managed_page(), its only callers,
	 * which look up the head first (with CONFIG_DEBUG_VM, a tail makes
	 * its raw pgmap read warn).
	 */
	return NULL;
}

/*
 * Check that @page sits where a layout of compound pages of @order puts
 * its pfn: the pfn aligned down to the order is the head (at order 0
 * every page is one), with PG_head and that order unless the order is 0;
 * every other pfn is a tail that points at that head, holds no reference
 * and no flag of its own (PG_head, PG_hwpoison: deduplicated tails share
 * their struct pages, so state set on one would show on others).
 * Returns NULL if all is well, else the name of the failed check; counts
 * heads, busy heads (refcount not the idle 1) and poisoned heads in @res.
 */
static const char *dpi_layout_check_pfn(unsigned long pfn, struct page *page,
					int order, struct dpi_pgmap_result *res)
{
	unsigned long head_pfn = ALIGN_DOWN(pfn, 1UL << order);
	unsigned long own = BIT(PG_head);

#ifdef CONFIG_MEMORY_FAILURE
	own |= BIT(PG_hwpoison);
#endif
	if (pfn != head_pfn) {
		unsigned long raw = READ_ONCE(page->compound_head);

		/* linked to its head, or a shared tail of this order */
		if (raw != (unsigned long)pfn_to_page(head_pfn) + 1 &&
		    raw != (COMPOUND_HEAD_SHARED | 1UL |
			    ((unsigned long)order << COMPOUND_HEAD_ORDER_SHIFT)))
			return "tail_head";
		/* and the kernel's own decoding agrees */
		if (compound_head(page) != pfn_to_page(head_pfn))
			return "tail_compound_head";
		if (page_ref_count(page))
			return "tail_refcount";
		if (READ_ONCE(page->flags) & own)
			return "tail_flags";
		return NULL;
	}
	if (PageTail(page))
		return "head_is_tail";
	if (order && (!PageHead(page) || compound_order(page) != order))
		return "head_order";
	if (!order && PageHead(page))
		return "order0_compound";
	res->heads++;
	if (page_ref_count(page) != 1)
		res->busy++;
	if (PageHWPoison(page))
		res->hwpoison++;
	return NULL;
}

/*
 * Check [@start, @start + @nr): the pgmap readers, and with @order >= 0
 * the compound layout of that order.  -EINVAL if a pfn of the range is not
 * ZONE_DEVICE memory with a live pgmap: the range is then not what the
 * test meant to check.  The pgmap reference held across the walk keeps
 * the memmap from being unplugged under it.
 */
static int dpi_pgmap_run(unsigned long start, unsigned long nr, int order,
			 struct dpi_pgmap_result *res)
{
	struct dev_pagemap *ref = NULL;
	unsigned long i;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < nr; i++) {
		unsigned long pfn = start + i, got;
		const char *why;
		struct page *page;
		bool tail;

		if (!pfn_valid(pfn)) {
			ret = -EINVAL;
			break;
		}
		ref = get_dev_pagemap(pfn, ref);
		if (!ref) {
			ret = -EINVAL;
			break;
		}
		page = pfn_to_page(pfn);
		/* A poisoned page has garbage zone bits: a mismatch, below. */
		if (!PagePoisoned(page) && !is_zone_device_page(page)) {
			ret = -EINVAL;
			break;
		}
		why = dpi_pgmap_check_pfn(pfn, page, ref, &tail, &got);
		if (!why && order >= 0)
			why = dpi_layout_check_pfn(pfn, page, order, res);
		if (tail)
			res->tails++;
		if (why && !res->mismatch++) {
			res->first_pfn = pfn;
			res->first_check = why;
			res->got = got;
			res->want = (unsigned long)ref;
		}
		/* A whole 1 TiB device is 2^28 pfns. */
		if (!(i & 0xfff))
			cond_resched();
	}
	if (ref)
		put_dev_pagemap(ref);
	res->nr = ret ? 0 : nr;
	res->order = order;
	return ret;
}

/* The check runs at write time, so that a bad range fails the write. */
static ssize_t dpi_pgmap_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct dpi_pgmap_result res;
	struct dpi_request req;
	int ret;

	ret = dpi_parse_request(ubuf, count, DPI_PGMAP_MAX_NR, DPI_OPT_ORDER, &req);
	if (ret)
		return ret;
	ret = dpi_pgmap_run(req.start, req.nr, req.order, &res);
	mutex_lock(&dpi_lock);
	/* A refused range leaves no result, rather than a stale one. */
	dpi_pgmap_res = res;
	mutex_unlock(&dpi_lock);
	return ret ? ret : count;
}

static int dpi_pgmap_show(struct seq_file *m, void *v)
{
	struct dpi_pgmap_result res;

	mutex_lock(&dpi_lock);
	res = dpi_pgmap_res;
	mutex_unlock(&dpi_lock);
	if (!res.nr)
		return -ENODATA;
	seq_printf(m, "checked=%lu tails=%lu", res.nr, res.tails);
	if (res.order >= 0)
		seq_printf(m, " order=%d heads=%lu busy=%lu hwpoison=%lu",
			   res.order, res.heads, res.busy, res.hwpoison);
	seq_printf(m, " mismatch=%lu", res.mismatch);
	if (res.mismatch)
		seq_printf(m, " first_pfn=%lu check=%s", res.first_pfn,
			   res.first_check);
	if (res.mismatch && !strcmp(res.first_check, "pgmap"))
		seq_printf(m, " got=0x%lx want=0x%lx", res.got, res.want);
	seq_putc(m, '\n');
	return 0;
}

static int dpi_pgmap_open(struct inode *inode, struct file *file)
{
	return single_open(file, dpi_pgmap_show, NULL);
}

static const struct file_operations dpi_pgmap_fops = {
	.owner = THIS_MODULE,
	.open = dpi_pgmap_open,
	.read = seq_read,
	.write = dpi_pgmap_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* -------------------------------------------------------------- refbias */

/*
 * "refbias": write "PFN N" to hold N extra references on the compound
 * head of PFN (N = 0 drops them), read
 *
 *   pfn=<P> head_pfn=<H> bias=<N> refcount=<R>
 *
 * for the pfn last written, R being the head's refcount now.  A test of
 * the gup refcount overflow checks needs a head whose count is close to
 * INT_MAX; taking 2^31 real references would take hours under TCG, so
 * the module adds them in one page_ref_add().  A ZONE_DEVICE page never
 * goes back to an allocator, so the extra references do no harm as long
 * as they are dropped again: each biased head also keeps a dev_pagemap
 * reference, so its memmap stays while the bias is held (and disabling
 * the device waits for the bias to go).  Unloading drops every bias.
 */
#define DPI_REFBIAS_SLOTS	16

/**
 * struct dpi_refbias - extra references held on one compound head
 * @head_pfn: pfn of the head
 * @pgmap: reference that keeps the head's memmap, NULL for a free slot
 * @bias: references held, > 0 in a used slot
 */
struct dpi_refbias {
	unsigned long head_pfn;
	struct dev_pagemap *pgmap;
	int bias;
};

static struct dpi_refbias dpi_refbias[DPI_REFBIAS_SLOTS];
/* The pfn last written, ULONG_MAX before the first write. */
static unsigned long dpi_refbias_pfn = ULONG_MAX;

/* Called with dpi_lock held. */
static struct dpi_refbias *dpi_refbias_find(unsigned long head_pfn)
{
	int i;

	for (i = 0; i < DPI_REFBIAS_SLOTS; i++)
		if (dpi_refbias[i].pgmap && dpi_refbias[i].head_pfn == head_pfn)
			return &dpi_refbias[i];
	return NULL;
}

/* Called with dpi_lock held. */
static void dpi_refbias_release(void)
{
	int i;

	for (i = 0; i < DPI_REFBIAS_SLOTS; i++) {
		struct dpi_refbias *b = &dpi_refbias[i];

		if (!b->pgmap)
			continue;
		page_ref_sub(pfn_to_page(b->head_pfn), b->bias);
		put_dev_pagemap(b->pgmap);
		memset(b, 0, sizeof(*b));
	}
}

static ssize_t dpi_refbias_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct dpi_refbias *b, *slot = NULL;
	struct dev_pagemap *pgmap;
	unsigned long pfn, n, head_pfn;
	struct page *head;
	char buf[DPI_CMD_MAX];
	char *toks[2];
	int old, ntok, i, ret = 0;
	long base;

	ntok = dpi_tokens(ubuf, count, buf, sizeof(buf), toks, ARRAY_SIZE(toks));
	if (ntok < 0)
		return ntok;
	if (ntok != 2 || dpi_parse_ulong(toks[0], &pfn) ||
	    dpi_parse_ulong(toks[1], &n) || n > INT_MAX ||
	    pfn >= DPI_MAX_PFNS || !pfn_valid(pfn))
		return -EINVAL;
	pgmap = get_dev_pagemap(pfn, NULL);
	if (!pgmap)
		return -EINVAL;
	if (PagePoisoned(pfn_to_page(pfn)) ||
	    !is_zone_device_page(pfn_to_page(pfn))) {
		put_dev_pagemap(pgmap);
		return -EINVAL;
	}
	head = compound_head(pfn_to_page(pfn));
	head_pfn = page_to_pfn(head);

	mutex_lock(&dpi_lock);
	b = dpi_refbias_find(head_pfn);
	old = b ? b->bias : 0;
	/*
	 * The count without our bias must be a live page (a device page
	 * that is not in use has refcount 1), and the new count must not
	 * wrap: that would be the very overflow the tests look for.
	 */
	base = (long)page_ref_count(head) - old;
	if (base <= 0 || base + (long)n > INT_MAX) {
		ret = -EINVAL;
		goto out;
	}
	if (n && !b) {
		for (i = 0; i < DPI_REFBIAS_SLOTS && !slot; i++)
			if (!dpi_refbias[i].pgmap)
				slot = &dpi_refbias[i];
		if (!slot) {
			ret = -ENOSPC;
			goto out;
		}
	}

	if (n > old)
		page_ref_add(head, n - old);
	else if (n < old)
		page_ref_sub(head, old - n);

	if (slot) {
		/* The slot keeps the pgmap reference taken above. */
		slot->head_pfn = head_pfn;
		slot->pgmap = pgmap;
		slot->bias = n;
		pgmap = NULL;
	} else if (b && n) {
		b->bias = n;
	} else if (b) {
		put_dev_pagemap(b->pgmap);
		memset(b, 0, sizeof(*b));
	}
	dpi_refbias_pfn = pfn;
out:
	mutex_unlock(&dpi_lock);
	if (pgmap)
		put_dev_pagemap(pgmap);
	return ret ? ret : count;
}

static int dpi_refbias_show(struct seq_file *m, void *v)
{
	struct dev_pagemap *pgmap;
	struct dpi_refbias *b;
	struct page *head;
	unsigned long pfn;
	int ret = 0;

	mutex_lock(&dpi_lock);
	pfn = dpi_refbias_pfn;
	if (pfn == ULONG_MAX) {
		ret = -ENODATA;
		goto out;
	}
	/* Without a bias nothing else keeps the memmap there. */
	pgmap = get_dev_pagemap(pfn, NULL);
	if (!pgmap) {
		ret = -ENODEV;
		goto out;
	}
	head = compound_head(pfn_to_page(pfn));
	b = dpi_refbias_find(page_to_pfn(head));
	seq_printf(m, "pfn=%lu head_pfn=%lu bias=%d refcount=%d\n", pfn,
		   page_to_pfn(head), b ? b->bias : 0, page_ref_count(head));
	put_dev_pagemap(pgmap);
out:
	mutex_unlock(&dpi_lock);
	return ret;
}

static int dpi_refbias_open(struct inode *inode, struct file *file)
{
	return single_open(file, dpi_refbias_show, NULL);
}

static const struct file_operations dpi_refbias_fops = {
	.owner = THIS_MODULE,
	.open = dpi_refbias_open,
	.read = seq_read,
	.write = dpi_refbias_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* ------------------------------------------------------------------ gup */

/*
 * "gup": write "MODE ADDR NR", read
 *
 *   ret=<R> held_refcount=<A> after_refcount=<B>
 *
 * The write takes references on NR pages at user address ADDR of the
 * writing process, the way a driver would, with FOLL_WRITE:
 *
 *   pin-fast      pin_user_pages_fast()
 *   pin           pin_user_pages() under mmap_read_lock()
 *   pin-longterm  pin_user_pages(FOLL_LONGTERM) under mmap_read_lock()
 *   get-fast      get_user_pages_fast()
 *   get           get_user_pages() under mmap_read_lock()
 *
 * then records what the call returned (the number of pages, or -errno)
 * and, if it got pages, the refcount of the compound head of the first
 * one while they are held and after they are released again (unpin for
 * the pin modes, put_page() of each page for the get modes); -1 when the
 * call got nothing.  The write itself succeeds whatever gup returned;
 * it fails only on bad input.  gup_benchmark cannot do this: it releases
 * inside the ioctl and reports no refcount, and it walks the range in
 * batches of its own.
 */
#define DPI_GUP_MAX_NR		(1UL << (PUD_SHIFT - PAGE_SHIFT))

struct dpi_gup_result {
	bool valid;
	long ret;
	int held;
	int after;
};

static struct dpi_gup_result dpi_gup_res;

enum dpi_gup_mode {
	DPI_PIN_FAST,
	DPI_PIN,
	DPI_PIN_LONGTERM,
	DPI_GET_FAST,
	DPI_GET,
};

static const char * const dpi_gup_modes[] = {
	[DPI_PIN_FAST] = "pin-fast",
	[DPI_PIN] = "pin",
	[DPI_PIN_LONGTERM] = "pin-longterm",
	[DPI_GET_FAST] = "get-fast",
	[DPI_GET] = "get",
};

static long dpi_gup_call(int mode, unsigned long addr, unsigned long nr,
			 struct page **pages)
{
	struct mm_struct *mm = current->mm;
	long ret;

	switch (mode) {
	case DPI_PIN_FAST:
		return pin_user_pages_fast(addr, nr, FOLL_WRITE, pages);
	case DPI_GET_FAST:
		return get_user_pages_fast(addr, nr, FOLL_WRITE, pages);
	}

	mmap_read_lock(mm);
	if (mode == DPI_PIN)
		ret = pin_user_pages(addr, nr, FOLL_WRITE, pages, NULL);
	else if (mode == DPI_PIN_LONGTERM)
		ret = pin_user_pages(addr, nr, FOLL_WRITE | FOLL_LONGTERM,
				     pages, NULL);
	else
		ret = get_user_pages(addr, nr, FOLL_WRITE, pages, NULL);
	mmap_read_unlock(mm);
	return ret;
}

static ssize_t dpi_gup_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct dpi_gup_result res = { .valid = true, .held = -1, .after = -1 };
	struct dev_pagemap *pgmap = NULL;
	unsigned long addr, nr, i;
	struct page **pages;
	struct page *head;
	char buf[DPI_CMD_MAX];
	char *toks[3];
	int ntok, mode;

	ntok = dpi_tokens(ubuf, count, buf, sizeof(buf), toks, ARRAY_SIZE(toks));
	if (ntok < 0)
		return ntok;
	if (ntok != 3)
		return -EINVAL;
	mode = match_string(dpi_gup_modes, ARRAY_SIZE(dpi_gup_modes), toks[0]);
	if (mode < 0 || dpi_parse_ulong(toks[1], &addr) ||
	    dpi_parse_ulong(toks[2], &nr) || !nr || nr > DPI_GUP_MAX_NR ||
	    !current->mm)
		return -EINVAL;

	pages = kvmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	res.ret = dpi_gup_call(mode, addr, nr, pages);
	if (res.ret > 0) {
		head = compound_head(pages[0]);
		/*
		 * For device memory, keep the memmap of the head while its
		 * count is read after the release (NULL for RAM, whose
		 * memmap stays anyway).
		 */
		pgmap = get_dev_pagemap(page_to_pfn(head), NULL);
		res.held = page_ref_count(head);
		if (mode == DPI_GET_FAST || mode == DPI_GET) {
			for (i = 0; i < res.ret; i++)
				put_page(pages[i]);
		} else {
			unpin_user_pages(pages, res.ret);
		}
		res.after = page_ref_count(head);
		if (pgmap)
			put_dev_pagemap(pgmap);
	}
	kvfree(pages);

	mutex_lock(&dpi_lock);
	dpi_gup_res = res;
	mutex_unlock(&dpi_lock);
	return count;
}

static int dpi_gup_show(struct seq_file *m, void *v)
{
	struct dpi_gup_result res;

	mutex_lock(&dpi_lock);
	res = dpi_gup_res;
	mutex_unlock(&dpi_lock);
	if (!res.valid)
		return -ENODATA;
	seq_printf(m, "ret=%ld held_refcount=%d after_refcount=%d\n", res.ret,
		   res.held, res.after);
	return 0;
}

static int dpi_gup_open(struct inode *inode, struct file *file)
{
	return single_open(file, dpi_gup_show, NULL);
}

static const struct file_operations dpi_gup_fops = {
	.owner = THIS_MODULE,
	.open = dpi_gup_open,
	.read = seq_read,
	.write = dpi_gup_write,
	.llseek = seq_lseek,
	.release = single_release,
};

#ifdef CONFIG_KRETPROBES
/*
 * "timing": write up to DPI_TIMING_MAX function names to time every call
 * of them from now on (an empty write stops timing); read one line per
 * function:
 *
 *   <name> calls=<n> ns=<total>
 *
 * or "<name> missing" when the kernel has no such probe-able function
 * (inlined, static and folded away, or not in this kernel).  The time of
 * a call is from entry to return, so nested functions each count their
 * own total and the outer one includes the inner.  This is how the
 * bench splits the enable of a namespace into vmemmap population,
 * memmap init and the rest, with ns resolution, on both kernels.
 */
#define DPI_TIMING_MAX		8
#define DPI_TIMING_NAME		64

struct dpi_timer {
	struct kretprobe rp;
	char name[DPI_TIMING_NAME];
	bool registered;
	atomic64_t calls;
	atomic64_t ns;
};

static struct dpi_timer dpi_timers[DPI_TIMING_MAX];
static int dpi_nr_timers;

static int dpi_timer_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(u64 *)ri->data = ktime_get_ns();
	return 0;
}

static int dpi_timer_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct dpi_timer *t = container_of(ri->rp, struct dpi_timer, rp);

	atomic64_add(ktime_get_ns() - *(u64 *)ri->data, &t->ns);
	atomic64_inc(&t->calls);
	return 0;
}

/* Called with dpi_lock held. */
static void dpi_timing_stop(void)
{
	int i;

	for (i = 0; i < dpi_nr_timers; i++)
		if (dpi_timers[i].registered)
			unregister_kretprobe(&dpi_timers[i].rp);
	memset(dpi_timers, 0, sizeof(dpi_timers));
	dpi_nr_timers = 0;
}

static ssize_t dpi_timing_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[DPI_TIMING_MAX * DPI_TIMING_NAME];
	char *cur = buf, *tok;

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';

	mutex_lock(&dpi_lock);
	dpi_timing_stop();
	while ((tok = strsep(&cur, " \t\n")) != NULL) {
		struct dpi_timer *t;

		if (!*tok)
			continue;
		if (dpi_nr_timers == DPI_TIMING_MAX ||
		    strlen(tok) >= DPI_TIMING_NAME) {
			dpi_timing_stop();
			mutex_unlock(&dpi_lock);
			return -EINVAL;
		}
		t = &dpi_timers[dpi_nr_timers++];
		strscpy(t->name, tok, sizeof(t->name));
		t->rp.kp.symbol_name = t->name;
		t->rp.entry_handler = dpi_timer_entry;
		t->rp.handler = dpi_timer_ret;
		t->rp.data_size = sizeof(u64);
		t->rp.maxactive = 2 * num_possible_cpus();
		t->registered = !register_kretprobe(&t->rp);
	}
	mutex_unlock(&dpi_lock);
	return count;
}

static int dpi_timing_show(struct seq_file *m, void *v)
{
	int i;

	mutex_lock(&dpi_lock);
	for (i = 0; i < dpi_nr_timers; i++) {
		struct dpi_timer *t = &dpi_timers[i];

		if (!t->registered)
			seq_printf(m, "%s missing\n", t->name);
		else
			seq_printf(m, "%s calls=%lld ns=%lld\n", t->name,
				   (long long)atomic64_read(&t->calls),
				   (long long)atomic64_read(&t->ns));
	}
	mutex_unlock(&dpi_lock);
	return 0;
}

static int dpi_timing_open(struct inode *inode, struct file *file)
{
	return single_open(file, dpi_timing_show, NULL);
}

static const struct file_operations dpi_timing_fops = {
	.owner = THIS_MODULE,
	.open = dpi_timing_open,
	.read = seq_read,
	.write = dpi_timing_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static void dpi_timing_init(void)
{
	debugfs_create_file("timing", 0600, dpi_dir, NULL, &dpi_timing_fops);
}

static void dpi_timing_exit(void)
{
	mutex_lock(&dpi_lock);
	dpi_timing_stop();
	mutex_unlock(&dpi_lock);
}
#else
static void dpi_timing_init(void)
{
}

static void dpi_timing_exit(void)
{
}
#endif /* CONFIG_KRETPROBES */

static int __init dax_pageinfo_init(void)
{
	dpi_dir = debugfs_create_dir("dax_pageinfo", NULL);
	debugfs_create_file("pages", 0600, dpi_dir, NULL, &dpi_pages_fops);
	debugfs_create_file("vmemmap", 0600, dpi_dir, NULL, &dpi_vmemmap_fops);
	debugfs_create_file("free", 0400, dpi_dir, NULL, &dpi_free_fops);
	debugfs_create_file("leak", 0600, dpi_dir, NULL, &dpi_leak_fops);
	debugfs_create_file("pgmap", 0600, dpi_dir, NULL, &dpi_pgmap_fops);
	debugfs_create_file("refbias", 0600, dpi_dir, NULL, &dpi_refbias_fops);
	debugfs_create_file("gup", 0600, dpi_dir, NULL, &dpi_gup_fops);
#ifdef CONFIG_DEVMAP_SHARED_TAILS
	debugfs_create_file("shared_key", 0400, dpi_dir, NULL,
			    &dpi_shared_key_fops);
#endif
	dpi_timing_init();
	pr_info("loaded (test only)\n");
	return 0;
}

static void __exit dax_pageinfo_exit(void)
{
	debugfs_remove_recursive(dpi_dir);
	dpi_timing_exit();
	dpi_leak_release();
	mutex_lock(&dpi_lock);
	dpi_refbias_release();
	mutex_unlock(&dpi_lock);
}

module_init(dax_pageinfo_init);
module_exit(dax_pageinfo_exit);

MODULE_DESCRIPTION("Test-only debugfs view of ZONE_DEVICE struct pages and their vmemmap");
MODULE_LICENSE("GPL");
