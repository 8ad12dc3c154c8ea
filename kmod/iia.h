/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iscsi_iface_attrs: what the sysfs part (iia_core.c) and the generic
 * netlink part (iia_netlink.c) share.
 */
#ifndef _IIA_H
#define _IIA_H

#include <linux/device.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_transport_iscsi.h>

/**
 * struct iia_netdev_info - what a connection or host resolves to
 * @name: netdev name, NUL-terminated, empty when unknown
 * @addr: hardware address
 * @addr_len: valid bytes in @addr, 0 when unknown
 * @ifindex: netdev index, 0 when unknown (offload HBAs)
 * @pdev: PCI function behind the netdev or HBA, referenced, or NULL
 */
struct iia_netdev_info {
	char name[IFNAMSIZ];
	u8 addr[MAX_ADDR_LEN];
	unsigned int addr_len;
	int ifindex;
	struct pci_dev *pdev;
};

extern struct class *iia_conn_class;
extern struct class *iia_host_class;
extern struct class *iia_session_class;

void iia_info_release(struct iia_netdev_info *info);
int iia_resolve_conn(struct iscsi_cls_conn *conn, char *scratch,
		     struct iia_netdev_info *info);
int iia_resolve_host(struct device *cdev, char *scratch,
		     struct iia_netdev_info *info);
struct iscsi_transport *iia_host_transport(struct Scsi_Host *shost);
struct pci_dev *iia_host_pci(struct Scsi_Host *shost);
int iia_serial(struct pci_dev *pdev, char *out, size_t size);

/* iia_netlink.c: the generic netlink family and its object tracking. */
int iia_nl_init(void);
void iia_nl_start(void);
void iia_nl_stop(void);
void iia_nl_exit(void);
void iia_nl_conn_add(struct device *cdev);
void iia_nl_conn_remove(struct device *cdev);
void iia_nl_host_add(struct device *cdev);
void iia_nl_host_remove(struct device *cdev);
int iia_nl_session_intf_register(void);
void iia_nl_session_intf_unregister(void);

#endif /* _IIA_H */
