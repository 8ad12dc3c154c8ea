/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iscsi_iface_attrs: what the parts of the module share.
 *
 *   iia_core.c     load and unload, class discovery, class interfaces, sysfs
 *   iia_resolve.c  connection -> socket -> netdev, host identity, serials
 *   iia_track.c    tracked hosts, sessions and connections, pins
 *   iia_netlink.c  the generic netlink family: dump and events
 *   iia_stats.c    allocation counters (debugfs), checked at unload
 */
#ifndef _IIA_H
#define _IIA_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_transport_iscsi.h>

#include "iia_compat.h"

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

/* iia_resolve.c */
void iia_info_release(struct iia_netdev_info *info);
bool iia_no_socket(const struct iscsi_transport *t);
int iia_resolve_conn(struct iscsi_cls_conn *conn, char *scratch,
		     struct iia_netdev_info *info);
int iia_resolve_host(struct device *cdev, char *scratch,
		     struct iia_netdev_info *info);
int iia_fill_from_host(struct iscsi_transport *t, struct Scsi_Host *shost,
		       char *scratch, struct iia_netdev_info *info);
struct pci_dev *iia_host_pci(struct Scsi_Host *shost);
void iia_host_pci_put(struct pci_dev *pdev);
int iia_serial(struct pci_dev *pdev, char *out, size_t size);
extern bool iia_force_host_fallback;

/* iia_stats.c: counters of what the module allocated and released. */
enum iia_stat {
	IIA_ST_OBJ,	/* tracking objects (kzalloc/kfree) */
	IIA_ST_PAGE,	/* scratch pages */
	IIA_ST_SKB,	/* event messages built (sent or freed) */
	IIA_ST_PCI,	/* pci_dev references */
	IIA_ST_SOCK,	/* socket references from the established hash */
	IIA_ST_SDEV,	/* scsi_device references */
	IIA_ST_DEV,	/* class device references (class_find_device) */
	IIA_ST_NR,
};

void iia_stat_get(enum iia_stat k);
void iia_stat_put(enum iia_stat k);
void iia_stats_init(void);
void iia_stats_exit(void);

/**
 * enum iia_kind - what a tracking object stands for
 * @IIA_HOST: an iscsi_host class device, keyed by host number
 * @IIA_SESSION: an iscsi_session class device, keyed by session id
 * @IIA_CONN: an iscsi_connection class device, under its session
 */
enum iia_kind { IIA_HOST, IIA_SESSION, IIA_CONN };

/**
 * struct iia_obj - a tracked host, session or connection class device
 * @kind: what it is
 * @cdev: the class device, registered while the object is tracked
 * @id: host number (hosts) or session id (sessions, connections)
 * @cid: connection id (connections)
 * @host_no: host number (sessions, connections)
 * @sid: hosts: the last session added on the host, 0 for none
 * @t: hosts: transport of the sessions on the host (valid while the host
 *	is registered: its driver cannot go away before it), NULL before
 *	the first session
 * @conns: sessions: their connections
 * @node: connections: entry on their session's @conns (or the orphans)
 * @session: connections: their session's object, NULL once it is gone
 * @pins: readers working on the object outside iia_mutex
 * @dead: removal started; no new pins
 * @group: the sysfs attribute group was created
 * @state: last state seen (sessions, connections)
 * @ifindex: last netdev seen (connections), 0 before the first
 * @iface: its name
 * @addr: its hardware address
 * @addr_len: valid bytes of @addr
 *
 * Every field is protected by iia_mutex.  A pinned object's class device
 * stays registered: removal waits for the pins to drop (iia_track_remove()).
 */
struct iia_obj {
	enum iia_kind kind;
	struct device *cdev;
	u32 id;
	u32 cid;
	u32 host_no;
	u32 sid;
	struct iscsi_transport *t;
	struct list_head conns;
	struct list_head node;
	struct iia_obj *session;
	unsigned int pins;
	bool dead;
	bool group;
	int state;
	int ifindex;
	char iface[IFNAMSIZ];
	u8 addr[MAX_ADDR_LEN];
	unsigned int addr_len;
};

/* At most this many connections of one session are reported. */
#define IIA_MAX_CONNS	8

/* iia_track.c */
extern struct mutex iia_mutex;
struct iia_obj *iia_track_add(enum iia_kind kind, struct device *cdev);
struct iia_obj *iia_track_remove(enum iia_kind kind, struct device *cdev);
void iia_obj_free(struct iia_obj *obj);
struct iia_obj *iia_track_next(enum iia_kind kind, unsigned long *id);
struct iia_obj *iia_track_find(enum iia_kind kind, unsigned long id);
void iia_pin(struct iia_obj *obj);
void iia_unpin(struct iia_obj *obj);
int iia_pin_conns(struct iia_obj *session, struct iia_obj **conns);
void iia_track_exit(void);

/* iia_netlink.c */
int iia_nl_init(void);
void iia_nl_start(void);
void iia_nl_stop(void);
void iia_nl_exit(void);
void iia_nl_added(struct iia_obj *obj);
void iia_nl_removed(struct iia_obj *obj);

#endif /* _IIA_H */
