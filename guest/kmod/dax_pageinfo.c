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
 *
 * Write "START_PFN NR" (decimal or 0x-hex) to a file, then read it.
 * "vmemmap" also takes "START_PFN NR summary" to print only the summary
 * line, for ranges too large to list (1 TiB of pfns is 4M vmemmap pages).
 *
 * The module uses only interfaces that exist in 5.10 unpatched, so the
 * same source measures the base kernel and the patched one; the compound
 * order is read from the struct pages, never from the dev_pagemap.
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
 */
struct dpi_request {
	unsigned long start;
	unsigned long nr;
	unsigned long stride;
	bool summary;
};

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
 * Parse "START NR" or, when @allow_summary, "START NR summary", else
 * "START NR stride=STRIDE", from a user buffer.  Any malformed input is -EINVAL without a log message:
 * tests feed bad input on purpose.
 */
static int dpi_parse_request(const char __user *ubuf, size_t count,
			     unsigned long max_nr, bool allow_summary,
			     struct dpi_request *req)
{
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
	if (ntok == 3 && !allow_summary) {
		if (strncmp(toks[2], "stride=", 7) ||
		    dpi_parse_ulong(toks[2] + 7, &req->stride) ||
		    req->stride == 0 || req->stride > DPI_MAX_PFNS)
			return -EINVAL;
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
	head = tail ? (struct page *)(raw - 1) : page;
	head_pfn = page_to_pfn(head);
	if (tail && (head_pfn > pfn || pfn - head_pfn >= DPI_MAX_COMPOUND_NR ||
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

	ret = dpi_parse_request(ubuf, count, DPI_PAGES_MAX_NR, false, &req);
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
 * @mapped: vmemmap pages that have a present leaf entry
 * @distinct: distinct physical pages among those
 * @pte_tables: distinct PTE tables used to map the range
 */
struct dpi_vmemmap_iter {
	struct dpi_request req;
	unsigned long vstart;
	unsigned long nr_vpages;
	u64 *recs;
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
	if (!it->req.summary)
		it->recs = kvmalloc_array(it->nr_vpages, sizeof(*it->recs),
					  GFP_KERNEL);
	if (!pfns || !tables || (!it->req.summary && !it->recs)) {
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
		if (it->recs)
			it->recs[i] = rec;
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
	seq_printf(m, "vaddr=0x%lx phys=0x%llx level=%s ro=%d\n", addr,
		   (unsigned long long)(rec >> DPI_REC_SHIFT) << PAGE_SHIFT,
		   dpi_lvl_name[rec & DPI_LVL_MASK],
		   (rec & DPI_REC_RO) ? 1 : 0);
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
	return seq_release_private(inode, file);
}

static ssize_t dpi_vmemmap_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct dpi_request req;
	int ret;

	ret = dpi_parse_request(ubuf, count, DPI_VMEMMAP_MAX_NR, true, &req);
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
	dpi_timing_init();
	pr_info("loaded (test only)\n");
	return 0;
}

static void __exit dax_pageinfo_exit(void)
{
	debugfs_remove_recursive(dpi_dir);
	dpi_timing_exit();
	dpi_leak_release();
}

module_init(dax_pageinfo_init);
module_exit(dax_pageinfo_exit);

MODULE_DESCRIPTION("Test-only debugfs view of ZONE_DEVICE struct pages and their vmemmap");
MODULE_LICENSE("GPL");
