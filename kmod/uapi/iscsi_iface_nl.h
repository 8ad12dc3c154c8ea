/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * iscsi_iface: generic netlink family of the iscsi_iface_attrs module.
 * The reference is docs/netlink.md; this header is shared by the module
 * and by userspace (iscsictl).
 */
#ifndef _UAPI_ISCSI_IFACE_NL_H
#define _UAPI_ISCSI_IFACE_NL_H

#define IIA_GENL_NAME		"iscsi_iface"
#define IIA_GENL_VERSION	1
#define IIA_GENL_MCGRP_EVENTS	"events"

enum iia_cmd {
	IIA_CMD_UNSPEC,
	IIA_CMD_GET,		/* dump: one message per host, then per session */
	IIA_CMD_SESSION_ADD,	/* events, multicast group "events" */
	IIA_CMD_SESSION_REMOVE,
	IIA_CMD_SESSION_STATE,
	IIA_CMD_CONN_ADD,
	IIA_CMD_CONN_REMOVE,
	IIA_CMD_CONN_STATE,
	IIA_CMD_IFACE_CHANGE,
	__IIA_CMD_MAX,
};

#define IIA_CMD_MAX (__IIA_CMD_MAX - 1)

/* One attribute space for the top level and every nest. */
enum iia_attr {
	IIA_A_UNSPEC,
	IIA_A_HOST,			/* nest: one iscsi_host */
	IIA_A_SESSION,			/* nest: one session */
	IIA_A_CONN,			/* nest, in IIA_A_SESSION, one per connection */
	IIA_A_DEV,			/* nest, in IIA_A_SESSION, one per SCSI device */
	IIA_A_HOST_NO,			/* u32 */
	IIA_A_SID,			/* u32 */
	IIA_A_CID,			/* u32 */
	IIA_A_TARGET_NAME,		/* string */
	IIA_A_TPGT,			/* u32 */
	IIA_A_SESSION_STATE,		/* string: LOGGED_IN, FAILED, FREE */
	IIA_A_IFACE_NAME,		/* string: iscsid's iface record name */
	IIA_A_RECOVERY_TMO,		/* s32, absent when "off" */
	IIA_A_INITIAL_R2T,		/* string, as sysfs prints it */
	IIA_A_IMMEDIATE_DATA,		/* string */
	IIA_A_FIRST_BURST_LEN,		/* string */
	IIA_A_MAX_BURST_LEN,		/* string */
	IIA_A_MAX_OUTSTANDING_R2T,	/* string */
	IIA_A_ERL,			/* string */
	IIA_A_CONN_STATE,		/* string: up, down, failed, bound */
	IIA_A_ADDRESS,			/* string: current target address */
	IIA_A_PORT,			/* u32 */
	IIA_A_PERSISTENT_ADDRESS,	/* string: the portal logged in to */
	IIA_A_PERSISTENT_PORT,		/* u32 */
	IIA_A_LOCAL_ADDRESS,		/* string */
	IIA_A_LOCAL_PORT,		/* u32 */
	IIA_A_MAX_RECV_DLENGTH,		/* string */
	IIA_A_MAX_XMIT_DLENGTH,		/* string */
	IIA_A_HEADER_DIGEST,		/* string */
	IIA_A_DATA_DIGEST,		/* string */
	IIA_A_IFACE,			/* string: netdev the socket uses */
	IIA_A_IFINDEX,			/* u32 */
	IIA_A_IFACE_HWADDR,		/* binary: its hardware address */
	IIA_A_OLD_IFACE,		/* string, IIA_CMD_IFACE_CHANGE only */
	IIA_A_DRIVER,			/* string: scsi_host proc_name */
	IIA_A_HOST_NETDEV,		/* string: iscsi_host netdev */
	IIA_A_HOST_HWADDRESS,		/* string: iscsi_host hwaddress */
	IIA_A_HOST_IPADDRESS,		/* string: iscsi_host ipaddress */
	IIA_A_HOST_PCI_SLOT,		/* string: nearest PCI ancestor */
	IIA_A_HBA_HWADDR,		/* binary: hba_hwaddress */
	IIA_A_HBA_SERIAL,		/* string: hba_serial */
	IIA_A_HBA_PCI_SLOT,		/* string: hba_pci_slot */
	IIA_A_DEV_HCTL,			/* string: "H:C:T:L" */
	IIA_A_DEV_STATE,		/* string: scsi_device state */
	IIA_A_DEV_BLOCK,		/* string: block device name, "sda" */
	IIA_A_SESSION_PART,		/* u32, in IIA_A_SESSION: continuation */
	__IIA_A_MAX,
};

#define IIA_A_MAX (__IIA_A_MAX - 1)

#endif /* _UAPI_ISCSI_IFACE_NL_H */
