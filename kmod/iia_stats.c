// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs: counters of everything the module allocates or takes a
 * reference on, and of what it released.  They are readable by root in
 * debugfs (iscsi_iface_attrs/counters, 0400: one line per kind, "name
 * taken released") so that churn tests can check that nothing leaks while
 * the module is loaded, and a difference at unload is a WARN.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/seq_file.h>

#include "iia.h"

static const char *const iia_stat_names[IIA_ST_NR] = {
	[IIA_ST_OBJ]	= "objects",
	[IIA_ST_PAGE]	= "pages",
	[IIA_ST_SKB]	= "event_skbs",
	[IIA_ST_PCI]	= "pci_dev_refs",
	[IIA_ST_SOCK]	= "sock_refs",
	[IIA_ST_SDEV]	= "scsi_device_refs",
	[IIA_ST_DEV]	= "class_device_refs",
};

static atomic_long_t iia_taken[IIA_ST_NR];
static atomic_long_t iia_released[IIA_ST_NR];
static struct dentry *iia_debugfs;

void iia_stat_get(enum iia_stat k)
{
	atomic_long_inc(&iia_taken[k]);
}

void iia_stat_put(enum iia_stat k)
{
	atomic_long_inc(&iia_released[k]);
}

static int iia_counters_show(struct seq_file *m, void *v)
{
	int k;

	for (k = 0; k < IIA_ST_NR; k++)
		seq_printf(m, "%s %ld %ld\n", iia_stat_names[k],
			   atomic_long_read(&iia_taken[k]),
			   atomic_long_read(&iia_released[k]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(iia_counters);

void iia_stats_init(void)
{
	/* Without debugfs the counters are still checked at unload. */
	iia_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("counters", 0400, iia_debugfs, NULL,
			    &iia_counters_fops);
}

/* After everything else is released: every count must balance. */
void iia_stats_exit(void)
{
	long taken, released;
	int k;

	debugfs_remove_recursive(iia_debugfs);
	iia_debugfs = NULL;
	for (k = 0; k < IIA_ST_NR; k++) {
		taken = atomic_long_read(&iia_taken[k]);
		released = atomic_long_read(&iia_released[k]);
		WARN(taken != released, "%s: %s taken %ld, released %ld\n",
		     KBUILD_MODNAME, iia_stat_names[k], taken, released);
	}
}
