/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iscsi_iface_attrs: the differences between the kernels the module builds
 * for (5.10, 6.1, 6.12 long-term series), each by the feature that changed.
 * The IIA_HAVE_* macros come from feature tests on the kernel's headers in
 * Kbuild (distribution kernels backport, so a version number would lie).
 * Nothing else in the module depends on the kernel it is built for.
 */
#ifndef _IIA_COMPAT_H
#define _IIA_COMPAT_H

#include <linux/pci.h>
#include <linux/slab.h>
#include <net/genetlink.h>

/*
 * v6.4 ("driver core: class: remove struct class_interface * from
 * callbacks"): class_interface add_dev()/remove_dev() take the device only.
 * IIA_INTF_ARGS is the parameter list of such a callback.
 */
#ifdef IIA_HAVE_INTF_DEV_ONLY
#define IIA_INTF_ARGS struct device *cdev
#else
#define IIA_INTF_ARGS struct device *cdev, struct class_interface *intf
#endif

/*
 * v6.1: genl families say from which command on the reserved header fields
 * and unknown attributes are rejected.  Older kernels have no such field.
 */
static inline void iia_genl_set_resv_start_op(struct genl_family *family,
					      u8 op)
{
#ifdef IIA_HAVE_RESV_START_OP
	family->resv_start_op = op;
#endif
}

/**
 * iia_vpd_sn() - the VPD "SN" keyword of a PCI function
 * @pdev: the function
 * @out: result, not terminated
 * @size: room in @out
 *
 * v5.15 replaced pci_read_vpd() + pci_vpd_find_tag() by pci_vpd_alloc() and
 * pci_vpd_find_ro_info_keyword().
 *
 * Return: bytes written (trailing blanks and NULs removed), 0 when none.
 */
static inline int iia_vpd_sn(struct pci_dev *pdev, char *out, size_t size)
{
	unsigned int len = 0;
	int start = -ENOENT;
	u8 *vpd;
#ifdef IIA_HAVE_VPD_ALLOC
	unsigned int vsize;

	vpd = pci_vpd_alloc(pdev, &vsize);
	if (IS_ERR(vpd))
		return 0;
	start = pci_vpd_find_ro_info_keyword(vpd, vsize,
					     PCI_VPD_RO_KEYWORD_SERIALNO, &len);
#else
	const unsigned int vsize = 1024;
	int ro, ro_len;
	ssize_t got;

	vpd = kmalloc(vsize, GFP_KERNEL);
	if (!vpd)
		return 0;
	got = pci_read_vpd(pdev, 0, vsize, vpd);
	ro = got > 0 ? pci_vpd_find_tag(vpd, 0, got, PCI_VPD_LRDT_RO_DATA) : -1;
	if (ro >= 0 && ro + PCI_VPD_LRDT_TAG_SIZE <= got) {
		ro_len = pci_vpd_lrdt_size(&vpd[ro]);
		ro += PCI_VPD_LRDT_TAG_SIZE;
		if (ro + ro_len <= got)
			start = pci_vpd_find_info_keyword(vpd, ro, ro_len,
							  PCI_VPD_RO_KEYWORD_SERIALNO);
		if (start >= 0 &&
		    start + PCI_VPD_INFO_FLD_HDR_SIZE <= ro + ro_len) {
			len = pci_vpd_info_field_size(&vpd[start]);
			start += PCI_VPD_INFO_FLD_HDR_SIZE;
			if (start + len > ro + ro_len)
				start = -EINVAL;
		} else {
			start = -ENOENT;
		}
	}
#endif
	if (start >= 0) {
		while (len && (vpd[start + len - 1] == ' ' ||
			       !vpd[start + len - 1]))
			len--;
		len = min_t(unsigned int, len, size);
		memcpy(out, vpd + start, len);
	} else {
		len = 0;
	}
	kfree(vpd);
	return len;
}

#endif /* _IIA_COMPAT_H */
