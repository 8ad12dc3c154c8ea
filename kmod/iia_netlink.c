// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs: the generic netlink family "iscsi_iface".
 *
 * IIA_CMD_GET (dump only) returns every iSCSI host, then every iSCSI
 * session with its connections (including the netdev each one's socket
 * uses, resolved as the sysfs "iface" attribute is) and its SCSI devices.
 * A session whose devices do not fit one message continues in further
 * messages that carry IIA_A_SESSION_PART.  The multicast group "events"
 * announces sessions and connections coming and going, their state changes
 * and changes of the netdev a connection uses.  See docs/netlink.md.
 *
 * Nothing here holds iia_mutex across a transport callback, a socket
 * lookup, a PCI read or a sleep: each object is pinned under the mutex,
 * filled without it, and unpinned (iia_track.c).  A dump callback resumes
 * from its cursor in O(log n) and fills at most one message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/transport_class.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <scsi/scsi_device.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_transport.h>
#include <scsi/scsi_transport_iscsi.h>

#include "iia.h"
#include "iscsi_iface_nl.h"

static unsigned int event_poll_ms = 1000;
module_param(event_poll_ms, uint, 0644);
MODULE_PARM_DESC(event_poll_ms,
		 "While someone listens to the events group, how often session and connection states and the routes of unbound connections are looked at, in ms (default: 1000, minimum 100)");

static unsigned int dump_batch;
module_param(dump_batch, uint, 0644);
MODULE_PARM_DESC(dump_batch,
		 "Test hook: at most this many hosts or sessions per dump message (default: 0, as many as fit)");

static unsigned int dump_delay_ms;
module_param(dump_delay_ms, uint, 0644);
MODULE_PARM_DESC(dump_delay_ms,
		 "Test hook: sleep this long after each object a dump sends (default: 0)");

static bool iia_running;		/* family registered, events on */
static bool iia_listening;		/* the last scan saw a listener */
static bool iia_notifier_on;
static char *iia_scan_page;		/* scratch of the scan work */

static void iia_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(iia_scan_work, iia_scan);

static const struct genl_multicast_group iia_mcgrps[] = {
	{ .name = IIA_GENL_MCGRP_EVENTS, },
};

static int iia_dump(struct sk_buff *skb, struct netlink_callback *cb);

/* Dump only: nothing in the family can change anything. */
static const struct genl_small_ops iia_ops[] = {
	{
		.cmd = IIA_CMD_GET,
		.dumpit = iia_dump,
	},
};

static struct genl_family iia_family = {
	.name = IIA_GENL_NAME,
	.version = IIA_GENL_VERSION,
	.maxattr = IIA_A_MAX,
	.netnsok = false,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.small_ops = iia_ops,
	.n_small_ops = ARRAY_SIZE(iia_ops),
	.mcgrps = iia_mcgrps,
	.n_mcgrps = ARRAY_SIZE(iia_mcgrps),
};

/* ------------------------------------------------------------------ */
/* State names, as the class attributes print them                    */
/* ------------------------------------------------------------------ */

static const char *iia_session_state(int state)
{
	switch (state) {
	case ISCSI_SESSION_LOGGED_IN:
		return "LOGGED_IN";
	case ISCSI_SESSION_FAILED:
		return "FAILED";
	case ISCSI_SESSION_FREE:
		return "FREE";
	}
	return NULL;
}

static const char *iia_conn_state(int state)
{
	switch (state) {
	case ISCSI_CONN_UP:
		return "up";
	case ISCSI_CONN_DOWN:
		return "down";
	case ISCSI_CONN_FAILED:
		return "failed";
	case ISCSI_CONN_BOUND:
		return "bound";
	}
	return "unknown";
}

/* scsi_device_state_name() is not exported; the same table. */
static const char *iia_sdev_state(enum scsi_device_state state)
{
	switch (state) {
	case SDEV_CREATED:
		return "created";
	case SDEV_RUNNING:
		return "running";
	case SDEV_CANCEL:
		return "cancel";
	case SDEV_DEL:
		return "deleted";
	case SDEV_QUIESCE:
		return "quiesce";
	case SDEV_OFFLINE:
		return "offline";
	case SDEV_TRANSPORT_OFFLINE:
		return "transport-offline";
	case SDEV_BLOCK:
		return "blocked";
	case SDEV_CREATED_BLOCK:
		return "created-blocked";
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Attribute helpers                                                  */
/* ------------------------------------------------------------------ */

/**
 * struct iia_fill - one dump callback's output
 * @skb: the message buffer
 * @page: page-aligned PAGE_SIZE scratch for the transports' sysfs_emit()
 * @admin: the requester has CAP_NET_ADMIN (sees serial numbers)
 */
struct iia_fill {
	struct sk_buff *skb;
	char *page;
	bool admin;
};

/* A transport's printed value: trailing newlines and NULs removed. */
static int iia_text(char *page, int len)
{
	if (len < 0 || len >= PAGE_SIZE)
		return len < 0 ? len : -EINVAL;
	while (len && (page[len - 1] == '\n' || !page[len - 1]))
		len--;
	page[len] = '\0';
	return len;
}

/* Put the scratch page as a string, or as a u32 when @num; skip on @len < 0. */
static int iia_put_text(struct iia_fill *f, int attr, bool num, int len)
{
	u32 v;

	len = iia_text(f->page, len);
	if (len < 0)
		return 0;
	if (!num)
		return nla_put_string(f->skb, attr, f->page);
	if (kstrtou32(f->page, 10, &v))
		return 0;
	return nla_put_u32(f->skb, attr, v);
}

static bool iia_visible(struct iscsi_transport *t, int type, int param)
{
	return t && t->attr_is_visible && t->attr_is_visible(type, param);
}

static int iia_put_session_param(struct iia_fill *f,
				 struct iscsi_cls_session *session,
				 int attr, int param, bool num)
{
	struct iscsi_transport *t = session->transport;

	if (!iia_visible(t, ISCSI_PARAM, param) || !t->get_session_param)
		return 0;
	return iia_put_text(f, attr, num,
			    t->get_session_param(session, param, f->page));
}

/* As show_conn_ep_param_*(): through the endpoint when there is one. */
static int iia_conn_ep_param(struct iscsi_cls_conn *conn, int param,
			     char *page)
{
	struct iscsi_transport *t = conn->transport;
	int len;

	mutex_lock(&conn->ep_mutex);
	if (conn->ep)
		len = t->get_ep_param ?
		      t->get_ep_param(conn->ep, param, page) : -EOPNOTSUPP;
	else if (t->ep_connect)
		len = -ENOTCONN;
	else
		len = t->get_conn_param(conn, param, page);
	mutex_unlock(&conn->ep_mutex);
	return len;
}

static int iia_put_conn_param(struct iia_fill *f, struct iscsi_cls_conn *conn,
			      int attr, int param, bool num)
{
	struct iscsi_transport *t = conn->transport;
	int len;

	if (!iia_visible(t, ISCSI_PARAM, param) || !t->get_conn_param)
		return 0;
	if (param == ISCSI_PARAM_CONN_ADDRESS || param == ISCSI_PARAM_CONN_PORT)
		len = iia_conn_ep_param(conn, param, f->page);
	else
		len = t->get_conn_param(conn, param, f->page);
	return iia_put_text(f, attr, num, len);
}

static int iia_put_host_param(struct iia_fill *f, struct iscsi_transport *t,
			      struct Scsi_Host *shost, int attr, int param)
{
	if (!iia_visible(t, ISCSI_HOST_PARAM, param) || !t->get_host_param)
		return 0;
	return iia_put_text(f, attr, false,
			    t->get_host_param(shost, param, f->page));
}

static int iia_put_netdev(struct sk_buff *skb,
			  const struct iia_netdev_info *info)
{
	if (info->name[0] && nla_put_string(skb, IIA_A_IFACE, info->name))
		return -EMSGSIZE;
	if (info->ifindex && nla_put_u32(skb, IIA_A_IFINDEX, info->ifindex))
		return -EMSGSIZE;
	if (info->addr_len &&
	    nla_put(skb, IIA_A_IFACE_HWADDR, info->addr_len, info->addr))
		return -EMSGSIZE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Dump                                                               */
/* ------------------------------------------------------------------ */

/**
 * iia_fill_host() - one host
 * @f: output
 * @obj: the host, pinned
 * @t: its transport, NULL before its first session
 * @conn: a connection on it, pinned, or NULL
 *
 * The port behind a software host is the NIC of its connection; an offload
 * host reports it itself.  The serial number only goes to CAP_NET_ADMIN.
 *
 * Return: 0 or -EMSGSIZE.
 */
static int iia_fill_host(struct iia_fill *f, struct iia_obj *obj,
			 struct iscsi_transport *t, struct iia_obj *conn)
{
	struct Scsi_Host *shost = transport_class_to_shost(obj->cdev);
	struct iia_netdev_info info = {};
	struct sk_buff *skb = f->skb;
	struct pci_dev *pdev;
	struct nlattr *nest;
	char serial[64];
	int ret = -EMSGSIZE, got = -ENODEV;

	nest = nla_nest_start(skb, IIA_A_HOST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IIA_A_HOST_NO, shost->host_no) ||
	    (shost->hostt->proc_name &&
	     nla_put_string(skb, IIA_A_DRIVER, shost->hostt->proc_name)) ||
	    iia_put_host_param(f, t, shost, IIA_A_HOST_NETDEV,
			       ISCSI_HOST_PARAM_NETDEV_NAME) ||
	    iia_put_host_param(f, t, shost, IIA_A_HOST_HWADDRESS,
			       ISCSI_HOST_PARAM_HWADDRESS) ||
	    iia_put_host_param(f, t, shost, IIA_A_HOST_IPADDRESS,
			       ISCSI_HOST_PARAM_IPADDRESS))
		return -EMSGSIZE;

	pdev = iia_host_pci(shost);
	if (pdev) {
		ret = nla_put_string(skb, IIA_A_HOST_PCI_SLOT, pci_name(pdev));
		iia_host_pci_put(pdev);
		if (ret)
			return -EMSGSIZE;
		ret = -EMSGSIZE;
	}

	if (t && iia_no_socket(t))
		got = iia_fill_from_host(t, shost, f->page, &info);
	else if (conn)
		got = iia_resolve_conn(iscsi_dev_to_conn(conn->cdev->parent),
				       f->page, &info);
	if (!got) {
		if (info.addr_len &&
		    nla_put(skb, IIA_A_HBA_HWADDR, info.addr_len, info.addr))
			goto out;
		if (info.pdev) {
			if (nla_put_string(skb, IIA_A_HBA_PCI_SLOT,
					   pci_name(info.pdev)))
				goto out;
			if (f->admin &&
			    iia_serial(info.pdev, serial, sizeof(serial)) &&
			    nla_put_string(skb, IIA_A_HBA_SERIAL, serial))
				goto out;
		}
	}
	nla_nest_end(skb, nest);
	ret = 0;
out:
	iia_info_release(&info);
	return ret;
}

static int iia_fill_conn(struct iia_fill *f, struct iia_obj *obj)
{
	struct iscsi_cls_conn *conn = iscsi_dev_to_conn(obj->cdev->parent);
	struct iscsi_cls_session *session = iscsi_dev_to_session(conn->dev.parent);
	struct Scsi_Host *shost = iscsi_session_to_shost(session);
	struct iia_netdev_info info = {};
	struct sk_buff *skb = f->skb;
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(skb, IIA_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IIA_A_CID, conn->cid) ||
	    nla_put_string(skb, IIA_A_CONN_STATE,
			   iia_conn_state(READ_ONCE(conn->state))) ||
	    iia_put_conn_param(f, conn, IIA_A_ADDRESS,
			       ISCSI_PARAM_CONN_ADDRESS, false) ||
	    iia_put_conn_param(f, conn, IIA_A_PORT,
			       ISCSI_PARAM_CONN_PORT, true) ||
	    iia_put_conn_param(f, conn, IIA_A_PERSISTENT_ADDRESS,
			       ISCSI_PARAM_PERSISTENT_ADDRESS, false) ||
	    iia_put_conn_param(f, conn, IIA_A_PERSISTENT_PORT,
			       ISCSI_PARAM_PERSISTENT_PORT, true) ||
	    iia_put_conn_param(f, conn, IIA_A_LOCAL_PORT,
			       ISCSI_PARAM_LOCAL_PORT, true) ||
	    iia_put_host_param(f, conn->transport, shost, IIA_A_LOCAL_ADDRESS,
			       ISCSI_HOST_PARAM_IPADDRESS) ||
	    iia_put_conn_param(f, conn, IIA_A_MAX_RECV_DLENGTH,
			       ISCSI_PARAM_MAX_RECV_DLENGTH, false) ||
	    iia_put_conn_param(f, conn, IIA_A_MAX_XMIT_DLENGTH,
			       ISCSI_PARAM_MAX_XMIT_DLENGTH, false) ||
	    iia_put_conn_param(f, conn, IIA_A_HEADER_DIGEST,
			       ISCSI_PARAM_HDRDGST_EN, false) ||
	    iia_put_conn_param(f, conn, IIA_A_DATA_DIGEST,
			       ISCSI_PARAM_DATADGST_EN, false))
		return -EMSGSIZE;

	ret = 0;
	if (!iia_resolve_conn(conn, f->page, &info))
		ret = iia_put_netdev(skb, &info);
	iia_info_release(&info);
	if (ret)
		return ret;
	nla_nest_end(skb, nest);
	return 0;
}

/* device_for_each_child(): the smallest name of a "block" child. */
static int iia_block_child(struct device *dev, void *data)
{
	char *name = data;

	if (dev->class && !strcmp(dev->class->name, "block") &&
	    (!name[0] || strcmp(dev_name(dev), name) < 0))
		strscpy(name, dev_name(dev), DISK_NAME_LEN);
	return 0;
}

static int iia_fill_dev(struct sk_buff *skb, struct scsi_device *sdev)
{
	const char *state = iia_sdev_state(sdev->sdev_state);
	char block[DISK_NAME_LEN] = "";
	struct nlattr *nest;
	char hctl[64];

	snprintf(hctl, sizeof(hctl), "%u:%u:%u:%llu", sdev->host->host_no,
		 sdev->channel, sdev->id, sdev->lun);
	device_for_each_child(&sdev->sdev_gendev, block, iia_block_child);

	nest = nla_nest_start(skb, IIA_A_DEV);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, IIA_A_DEV_HCTL, hctl) ||
	    (state && nla_put_string(skb, IIA_A_DEV_STATE, state)) ||
	    (block[0] && nla_put_string(skb, IIA_A_DEV_BLOCK, block))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* Devices of a session are sent in (channel, id, lun) order. */
static bool iia_sdev_after(struct scsi_device *sdev, const long *cur)
{
	if (!cur)
		return true;
	if (sdev->channel != cur[0])
		return sdev->channel > cur[0];
	if (sdev->id != cur[1])
		return sdev->id > cur[1];
	return sdev->lun > (u64)cur[2];
}

static bool iia_sdev_before(struct scsi_device *a, struct scsi_device *b)
{
	long key[3] = { b->channel, b->id, b->lun };

	return !iia_sdev_after(a, key) &&
	       (a->channel != b->channel || a->id != b->id || a->lun != b->lun);
}

/*
 * The session's device that comes next after @cur (NULL: the first),
 * referenced.  One pass over the host's devices under its lock; a host of
 * iscsi_tcp holds the devices of one session only.
 */
static struct scsi_device *iia_next_sdev(struct Scsi_Host *shost,
					 struct iscsi_cls_session *session,
					 const long *cur)
{
	struct scsi_device *sdev, *best = NULL;
	unsigned long flags;

	spin_lock_irqsave(shost->host_lock, flags);
	__shost_for_each_device(sdev, shost) {
		if (!sdev->sdev_target ||
		    sdev->sdev_target->dev.parent != &session->dev ||
		    sdev->sdev_state == SDEV_DEL || !iia_sdev_after(sdev, cur))
			continue;
		if (!best || iia_sdev_before(sdev, best))
			best = sdev;
	}
	if (best && scsi_device_get(best))
		best = NULL;
	spin_unlock_irqrestore(shost->host_lock, flags);
	if (best)
		iia_stat_get(IIA_ST_SDEV);
	return best;
}

/*
 * Devices after the cursor cb->args[3..5] (all of them unless @resume)
 * until the message is full; the cursor follows the last device sent and
 * *@sent counts them.  Return: 0 when every device was sent, -EMSGSIZE
 * when the message is full.
 */
static int iia_fill_devs(struct iia_fill *f, struct netlink_callback *cb,
			 struct iscsi_cls_session *session, bool resume,
			 int *sent)
{
	struct Scsi_Host *shost = iscsi_session_to_shost(session);
	struct scsi_device *sdev;
	int ret;

	for (;;) {
		sdev = iia_next_sdev(shost, session, resume ? &cb->args[3] : NULL);
		if (!sdev)
			return 0;
		ret = iia_fill_dev(f->skb, sdev);
		if (!ret) {
			cb->args[3] = sdev->channel;
			cb->args[4] = sdev->id;
			cb->args[5] = sdev->lun;
			resume = true;
			(*sent)++;
		}
		scsi_device_put(sdev);
		iia_stat_put(IIA_ST_SDEV);
		if (ret)
			return ret;
		cond_resched();
	}
}

/**
 * iia_fill_session() - one session, or the next part of one
 * @f: output
 * @cb: the dump; cb->args[2] is the part number (0: the first), cb->args[3..5]
 *	the last device sent
 * @obj: the session, pinned
 * @conns: its connections, pinned
 * @nconns: how many
 * @alone: nothing else is in this message yet
 *
 * The first part carries the session and its connections; devices follow
 * until the message is full.  When a session does not fit an otherwise
 * empty message, the part ends after the last device that fitted and the
 * next part (IIA_A_SID, IIA_A_HOST_NO, IIA_A_SESSION_PART and more
 * IIA_A_DEV) goes in the next message.
 *
 * Return: 0 when the session is complete, 1 when it continues, -EMSGSIZE
 * when nothing was added (not @alone: retry in an empty message).
 */
static int iia_fill_session(struct iia_fill *f, struct netlink_callback *cb,
			    struct iia_obj *obj, struct iia_obj **conns,
			    int nconns, bool alone)
{
	struct iscsi_cls_session *session = iscsi_dev_to_session(obj->cdev->parent);
	struct Scsi_Host *shost = iscsi_session_to_shost(session);
	const char *state = iia_session_state(READ_ONCE(session->state));
	struct sk_buff *skb = f->skb;
	long part = cb->args[2], saved[3];
	struct nlattr *nest;
	int i, ret, sent = 0;

	memcpy(saved, &cb->args[3], sizeof(saved));
	nest = nla_nest_start(skb, IIA_A_SESSION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IIA_A_SID, session->sid) ||
	    nla_put_u32(skb, IIA_A_HOST_NO, shost->host_no))
		return -EMSGSIZE;
	if (part) {
		if (nla_put_u32(skb, IIA_A_SESSION_PART, part))
			return -EMSGSIZE;
	} else if ((state &&
		    nla_put_string(skb, IIA_A_SESSION_STATE, state)) ||
		   iia_put_session_param(f, session, IIA_A_TARGET_NAME,
					 ISCSI_PARAM_TARGET_NAME, false) ||
		   iia_put_session_param(f, session, IIA_A_TPGT,
					 ISCSI_PARAM_TPGT, true) ||
		   iia_put_session_param(f, session, IIA_A_IFACE_NAME,
					 ISCSI_PARAM_IFACE_NAME, false) ||
		   (session->recovery_tmo != -1 &&
		    nla_put_s32(skb, IIA_A_RECOVERY_TMO,
				session->recovery_tmo)) ||
		   iia_put_session_param(f, session, IIA_A_INITIAL_R2T,
					 ISCSI_PARAM_INITIAL_R2T_EN, false) ||
		   iia_put_session_param(f, session, IIA_A_IMMEDIATE_DATA,
					 ISCSI_PARAM_IMM_DATA_EN, false) ||
		   iia_put_session_param(f, session, IIA_A_FIRST_BURST_LEN,
					 ISCSI_PARAM_FIRST_BURST, false) ||
		   iia_put_session_param(f, session, IIA_A_MAX_BURST_LEN,
					 ISCSI_PARAM_MAX_BURST, false) ||
		   iia_put_session_param(f, session, IIA_A_MAX_OUTSTANDING_R2T,
					 ISCSI_PARAM_MAX_R2T, false) ||
		   iia_put_session_param(f, session, IIA_A_ERL,
					 ISCSI_PARAM_ERL, false)) {
		return -EMSGSIZE;
	}
	if (!part) {
		for (i = 0; i < nconns; i++)
			if (iia_fill_conn(f, conns[i]))
				goto toobig;
	}

	ret = iia_fill_devs(f, cb, session, part > 0, &sent);
	/* Full: retry in an empty message unless this one is empty already. */
	if (ret && (!alone || (part && !sent)))
		goto toobig;
	nla_nest_end(skb, nest);
	if (!ret)
		return 0;
	cb->args[2] = part + 1;
	return 1;

toobig:
	memcpy(&cb->args[3], saved, sizeof(saved));
	return -EMSGSIZE;
}

/* One message for @obj; nothing is left in @skb on -EMSGSIZE. */
static int iia_dump_one(struct iia_fill *f, struct netlink_callback *cb,
			struct iia_obj *obj, struct iscsi_transport *t,
			struct iia_obj **conns, int nconns, bool alone)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(f->skb, NETLINK_CB(cb->skb).portid,
			  cb->nlh->nlmsg_seq, &iia_family, NLM_F_MULTI,
			  IIA_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (obj->kind == IIA_HOST)
		ret = iia_fill_host(f, obj, t, nconns ? conns[0] : NULL);
	else
		ret = iia_fill_session(f, cb, obj, conns, nconns, alone);
	if (ret < 0) {
		genlmsg_cancel(f->skb, hdr);
		return ret;
	}
	genlmsg_end(f->skb, hdr);
	return ret;
}

/*
 * Under iia_mutex: the next host or session at or after the cursor, pinned,
 * with what its fill needs (the host's transport and connection, or the
 * session's connections), pinned too.
 */
static struct iia_obj *iia_dump_pin(struct netlink_callback *cb,
				    struct iscsi_transport **t,
				    struct iia_obj **conns, int *nconns)
{
	enum iia_kind kind = cb->args[0] == 0 ? IIA_HOST : IIA_SESSION;
	unsigned long id = cb->args[1];
	struct iia_obj *obj, *session;

	*nconns = 0;
	*t = NULL;
	obj = iia_track_next(kind, &id);
	if (!obj)
		return NULL;
	if (id != cb->args[1]) {
		/* A new object: any part in progress was of a gone one. */
		cb->args[1] = id;
		cb->args[2] = 0;
	}
	iia_pin(obj);
	if (kind == IIA_SESSION) {
		*nconns = iia_pin_conns(obj, conns);
		return obj;
	}
	*t = obj->t;
	session = obj->sid ? iia_track_find(IIA_SESSION, obj->sid) : NULL;
	if (session && session->host_no == obj->id &&
	    !list_empty(&session->conns)) {
		conns[0] = list_first_entry(&session->conns, struct iia_obj,
					    node);
		if (!conns[0]->dead) {
			iia_pin(conns[0]);
			*nconns = 1;
		}
	}
	return obj;
}

static void iia_dump_unpin(struct iia_obj *obj, struct iia_obj **conns,
			   int nconns)
{
	int i;

	iia_unpin(obj);
	for (i = 0; i < nconns; i++)
		iia_unpin(conns[i]);
}

/*
 * cb->args[0]: 0 while sending hosts, 1 while sending sessions, 2 done.
 * cb->args[1]: the host number or session id to send next.
 * cb->args[2]: part of that session to send next (0: from the start).
 * cb->args[3..5]: channel, id, lun of its last device sent.
 * Host numbers and session ids only grow, so every object present for the
 * whole dump is sent exactly once, objects that go away are simply not
 * sent (or not finished), and objects that appear may or may not be.
 */
static int iia_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int batch = READ_ONCE(dump_batch), delay, n = 0;
	struct iia_obj *conns[IIA_MAX_CONNS];
	struct iscsi_transport *t;
	struct iia_fill f = { .skb = skb };
	struct iia_obj *obj;
	int nconns, ret = 0;

	f.admin = netlink_capable(cb->skb, CAP_NET_ADMIN);
	f.page = (char *)__get_free_page(GFP_KERNEL);
	if (!f.page)
		return -ENOMEM;
	iia_stat_get(IIA_ST_PAGE);

	while (cb->args[0] < 2) {
		if (batch && n >= batch)
			break;
		mutex_lock(&iia_mutex);
		obj = iia_dump_pin(cb, &t, conns, &nconns);
		mutex_unlock(&iia_mutex);
		if (!obj) {
			cb->args[0]++;
			cb->args[1] = 0;
			cb->args[2] = 0;
			continue;
		}
		if (!cb->args[2])
			memset(&cb->args[3], 0, 3 * sizeof(cb->args[0]));

		ret = iia_dump_one(&f, cb, obj, t, conns, nconns, !n);

		mutex_lock(&iia_mutex);
		iia_dump_unpin(obj, conns, nconns);
		mutex_unlock(&iia_mutex);

		if (ret < 0)
			break;
		n++;
		if (ret == 0) {
			cb->args[1]++;
			cb->args[2] = 0;
		}
		delay = READ_ONCE(dump_delay_ms);
		if (delay)
			msleep_interruptible(delay);
		if (ret > 0)
			break;	/* the message is full; the session goes on */
		cond_resched();
	}

	free_page((unsigned long)f.page);
	iia_stat_put(IIA_ST_PAGE);
	/* An object larger than an empty message is an error, not the end. */
	if (ret < 0 && !n)
		return ret;
	return skb->len;
}

/* ------------------------------------------------------------------ */
/* Events                                                             */
/* ------------------------------------------------------------------ */

/* Called with iia_mutex held. */
static void iia_notify(u8 cmd, const struct iia_obj *obj, const char *state,
		       const char *old_iface)
{
	bool conn = obj->kind == IIA_CONN;
	struct sk_buff *skb;
	void *hdr;

	lockdep_assert_held(&iia_mutex);
	if (!iia_running || !genl_has_listeners(&iia_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	iia_stat_get(IIA_ST_SKB);
	hdr = genlmsg_put(skb, 0, 0, &iia_family, 0, cmd);
	if (!hdr)
		goto err;
	if (nla_put_u32(skb, IIA_A_SID, obj->id) ||
	    nla_put_u32(skb, IIA_A_HOST_NO, obj->host_no) ||
	    (conn && nla_put_u32(skb, IIA_A_CID, obj->cid)) ||
	    (state && nla_put_string(skb, conn ? IIA_A_CONN_STATE :
				     IIA_A_SESSION_STATE, state)))
		goto err;
	if (cmd == IIA_CMD_IFACE_CHANGE &&
	    ((obj->iface[0] && nla_put_string(skb, IIA_A_IFACE, obj->iface)) ||
	     (obj->ifindex && nla_put_u32(skb, IIA_A_IFINDEX, obj->ifindex)) ||
	     (obj->addr_len && nla_put(skb, IIA_A_IFACE_HWADDR, obj->addr_len,
				       obj->addr)) ||
	     (old_iface[0] && nla_put_string(skb, IIA_A_OLD_IFACE, old_iface))))
		goto err;
	genlmsg_end(skb, hdr);
	/* Consumed whether or not anyone receives it. */
	genlmsg_multicast(&iia_family, skb, 0, 0, GFP_KERNEL);
	iia_stat_put(IIA_ST_SKB);
	return;
err:
	nlmsg_free(skb);
	iia_stat_put(IIA_ST_SKB);
}

/* iia_track.c, under iia_mutex: an object appeared. */
void iia_nl_added(struct iia_obj *obj)
{
	if (obj->kind == IIA_SESSION)
		iia_notify(IIA_CMD_SESSION_ADD, obj,
			   iia_session_state(obj->state), NULL);
	else if (obj->kind == IIA_CONN)
		iia_notify(IIA_CMD_CONN_ADD, obj, iia_conn_state(obj->state),
			   NULL);
}

/* iia_track.c, under iia_mutex: an object is going away. */
void iia_nl_removed(struct iia_obj *obj)
{
	if (obj->kind == IIA_SESSION)
		iia_notify(IIA_CMD_SESSION_REMOVE, obj, NULL, NULL);
	else if (obj->kind == IIA_CONN)
		iia_notify(IIA_CMD_CONN_REMOVE, obj, NULL, NULL);
}

/* Under iia_mutex: state changes of a session and its connections. */
static void iia_scan_states(struct iia_obj *s, bool notify)
{
	struct iia_obj *c;
	int state;

	state = READ_ONCE(iscsi_dev_to_session(s->cdev->parent)->state);
	if (state != s->state) {
		s->state = state;
		if (notify)
			iia_notify(IIA_CMD_SESSION_STATE, s,
				   iia_session_state(state), NULL);
	}
	list_for_each_entry(c, &s->conns, node) {
		state = READ_ONCE(iscsi_dev_to_conn(c->cdev->parent)->state);
		if (state == c->state)
			continue;
		c->state = state;
		if (notify)
			iia_notify(IIA_CMD_CONN_STATE, c, iia_conn_state(state),
				   NULL);
	}
}

/* Under iia_mutex: record what @info says @c uses; tell if it changed. */
static void iia_scan_iface(struct iia_obj *c, struct iia_netdev_info *info,
			   bool notify)
{
	char old[IFNAMSIZ];

	/* No socket (recovery): not a change; the next one will be. */
	if (c->dead || !info->name[0])
		return;
	if (info->ifindex == c->ifindex && !strcmp(info->name, c->iface) &&
	    info->addr_len == c->addr_len &&
	    !memcmp(info->addr, c->addr, info->addr_len))
		return;
	strscpy(old, c->iface, sizeof(old));
	c->ifindex = info->ifindex;
	strscpy(c->iface, info->name, sizeof(c->iface));
	c->addr_len = info->addr_len;
	memcpy(c->addr, info->addr, info->addr_len);
	if (notify)
		iia_notify(IIA_CMD_IFACE_CHANGE, c, NULL, old);
}

/*
 * Look for state changes of sessions and connections and for changes of
 * the netdev a connection uses.  Only while someone listens; the first
 * scan after a listener appears only records (nothing it would report is
 * news to a client that dumps after subscribing).  One session at a time:
 * the mutex is held for its bookkeeping, the resolution runs on pinned
 * connections without it.
 *
 * The work runs on system_unbound_wq: a pass resolves every connection,
 * and on a CPU's bound pool it would hold back the work queued behind it
 * there, such as the runtime-PM requests that removing a SCSI target
 * flushes from scsi_transport_iscsi's WQ_MEM_RECLAIM workqueue (a WARN in
 * check_flush_dependency() when they are still pending).
 */
static void iia_scan(struct work_struct *work)
{
	struct iia_obj *conns[IIA_MAX_CONNS];
	struct iia_netdev_info info;
	unsigned long sid = 0;
	struct iia_obj *s;
	bool notify;
	int i, n;

	mutex_lock(&iia_mutex);
	if (!iia_running) {
		mutex_unlock(&iia_mutex);
		return;
	}
	notify = iia_listening;
	iia_listening = genl_has_listeners(&iia_family, &init_net, 0);
	notify = notify && iia_listening;
	mutex_unlock(&iia_mutex);

	while (iia_listening) {
		mutex_lock(&iia_mutex);
		s = iia_track_next(IIA_SESSION, &sid);
		if (!s || !iia_running) {
			mutex_unlock(&iia_mutex);
			break;
		}
		iia_scan_states(s, notify);
		n = iia_pin_conns(s, conns);
		mutex_unlock(&iia_mutex);

		for (i = 0; i < n; i++) {
			memset(&info, 0, sizeof(info));
			iia_resolve_conn(iscsi_dev_to_conn(conns[i]->cdev->parent),
					 iia_scan_page, &info);
			mutex_lock(&iia_mutex);
			iia_scan_iface(conns[i], &info, notify);
			iia_unpin(conns[i]);
			mutex_unlock(&iia_mutex);
			iia_info_release(&info);
		}
		sid++;
		cond_resched();
	}

	mutex_lock(&iia_mutex);
	if (iia_running)
		queue_delayed_work(system_unbound_wq, &iia_scan_work,
				   msecs_to_jiffies(max(READ_ONCE(event_poll_ms),
							100U)));
	mutex_unlock(&iia_mutex);
}

/* A rename, an address change or a NIC coming or going: look now. */
static int iia_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	switch (event) {
	case NETDEV_CHANGENAME:
	case NETDEV_CHANGEADDR:
	case NETDEV_UNREGISTER:
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
		mod_delayed_work(system_unbound_wq, &iia_scan_work, 0);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block iia_netdev_nb = {
	.notifier_call = iia_netdev_event,
};

/* ------------------------------------------------------------------ */
/* Load and unload                                                    */
/* ------------------------------------------------------------------ */

/* Before the class interfaces are registered. */
int iia_nl_init(void)
{
	int ret;

	iia_scan_page = (char *)__get_free_page(GFP_KERNEL);
	if (!iia_scan_page)
		return -ENOMEM;
	iia_stat_get(IIA_ST_PAGE);
	iia_genl_set_resv_start_op(&iia_family, IIA_CMD_GET);
	ret = genl_register_family(&iia_family);
	if (ret) {
		pr_err("cannot register generic netlink family %s: %d\n",
		       IIA_GENL_NAME, ret);
		goto err_page;
	}
	mutex_lock(&iia_mutex);
	iia_running = true;
	mutex_unlock(&iia_mutex);
	return 0;

err_page:
	free_page((unsigned long)iia_scan_page);
	iia_stat_put(IIA_ST_PAGE);
	iia_scan_page = NULL;
	return ret;
}

/* After the class interfaces are registered: start looking for changes. */
void iia_nl_start(void)
{
	int ret = register_netdevice_notifier(&iia_netdev_nb);

	if (ret)
		pr_warn("no netdev notifier (%d): renames are seen by polling only\n",
			ret);
	iia_notifier_on = !ret;
	queue_delayed_work(system_unbound_wq, &iia_scan_work, 0);
}

/*
 * Before the class interfaces are unregistered: no more events, no more
 * scans, no more dumps.  A dump in progress holds a reference on this
 * module (netlink_dump_start()), so none runs once module_exit is called.
 */
void iia_nl_stop(void)
{
	if (!iia_scan_page)
		return;
	if (iia_notifier_on)
		unregister_netdevice_notifier(&iia_netdev_nb);
	iia_notifier_on = false;
	mutex_lock(&iia_mutex);
	iia_running = false;
	mutex_unlock(&iia_mutex);
	cancel_delayed_work_sync(&iia_scan_work);
	genl_unregister_family(&iia_family);
}

/* After the class interfaces are unregistered. */
void iia_nl_exit(void)
{
	if (!iia_scan_page)
		return;
	free_page((unsigned long)iia_scan_page);
	iia_stat_put(IIA_ST_PAGE);
	iia_scan_page = NULL;
}
