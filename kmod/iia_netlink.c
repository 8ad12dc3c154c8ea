// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs: the generic netlink family "iscsi_iface".
 *
 * IIA_CMD_GET (dump only) returns every iSCSI host, then every iSCSI
 * session with its connections (including the netdev each one's socket
 * uses, resolved as the sysfs "iface" attribute is) and its SCSI devices.
 * The multicast group "events" announces sessions and connections coming
 * and going, their state changes and changes of the netdev a connection
 * uses.  See docs/netlink.md for the attributes and docs/kmod.md for the
 * lifetime argument.
 *
 * Every host, session and connection class device is tracked from the
 * class interface's add_dev() to its remove_dev().  Both run under the
 * class's mutex, and remove_dev() takes iia_mutex to unlink the entry, so
 * while iia_mutex is held every listed class device is registered: the
 * same guarantee a sysfs show() has, which is what makes calling into the
 * transport safe (the kernfs active reference plays that role for sysfs).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
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
		 "How often state and iface changes are looked for while someone listens to the events group, in ms (default: 1000, minimum 100)");

static unsigned int dump_batch;
module_param(dump_batch, uint, 0644);
MODULE_PARM_DESC(dump_batch,
		 "Test hook: at most this many hosts or sessions per dump message (default: 0, as many as fit)");

/**
 * struct iia_obj - a tracked host, session or connection class device
 * @node: entry on iia_hosts, iia_sessions or iia_conns, sorted by @id, @cid
 * @cdev: the class device, registered while the entry is listed
 * @id: host number (hosts) or session id (sessions, connections)
 * @cid: connection id (connections)
 * @host_no: host number of the session (sessions, connections)
 * @state: last state seen (sessions, connections)
 * @ifindex: last netdev seen (connections), 0 before the first
 * @iface: its name
 * @addr: its hardware address
 * @addr_len: valid bytes of @addr
 */
struct iia_obj {
	struct list_head node;
	struct device *cdev;
	u32 id;
	u32 cid;
	u32 host_no;
	int state;
	int ifindex;
	char iface[IFNAMSIZ];
	u8 addr[MAX_ADDR_LEN];
	unsigned int addr_len;
};

static DEFINE_MUTEX(iia_mutex);		/* the lists, scratch, flags */
static LIST_HEAD(iia_hosts);
static LIST_HEAD(iia_sessions);
static LIST_HEAD(iia_conns);
static char *iia_scratch;		/* page for the transports' sysfs_emit() */
static bool iia_running;		/* family registered, events on */
static bool iia_listening;		/* the last scan saw a listener */
static bool iia_notifier_on;

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
	.resv_start_op = IIA_CMD_GET,
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

/* A transport's printed value: trailing newlines and NULs removed. */
static int iia_text(int len)
{
	if (len < 0 || len >= PAGE_SIZE)
		return len < 0 ? len : -EINVAL;
	while (len && (iia_scratch[len - 1] == '\n' || !iia_scratch[len - 1]))
		len--;
	iia_scratch[len] = '\0';
	return len;
}

/* Put iia_scratch as a string, or as a u32 when @num; skip on @len < 0. */
static int iia_put_text(struct sk_buff *skb, int attr, bool num, int len)
{
	u32 v;

	if (len < 0)
		return 0;
	if (!num)
		return nla_put_string(skb, attr, iia_scratch);
	if (kstrtou32(iia_scratch, 10, &v))
		return 0;
	return nla_put_u32(skb, attr, v);
}

static bool iia_visible(struct iscsi_transport *t, int type, int param)
{
	return t && t->attr_is_visible && t->attr_is_visible(type, param);
}

static int iia_put_session_param(struct sk_buff *skb,
				 struct iscsi_cls_session *session,
				 int attr, int param, bool num)
{
	struct iscsi_transport *t = session->transport;

	if (!iia_visible(t, ISCSI_PARAM, param) || !t->get_session_param)
		return 0;
	return iia_put_text(skb, attr, num,
			    iia_text(t->get_session_param(session, param,
							  iia_scratch)));
}

/* As show_conn_ep_param_*(): through the endpoint when there is one. */
static int iia_conn_ep_param(struct iscsi_cls_conn *conn, int param)
{
	struct iscsi_transport *t = conn->transport;
	int len;

	mutex_lock(&conn->ep_mutex);
	if (conn->ep)
		len = t->get_ep_param ?
		      t->get_ep_param(conn->ep, param, iia_scratch) :
		      -EOPNOTSUPP;
	else if (t->ep_connect)
		len = -ENOTCONN;
	else
		len = t->get_conn_param(conn, param, iia_scratch);
	mutex_unlock(&conn->ep_mutex);
	return len;
}

static int iia_put_conn_param(struct sk_buff *skb, struct iscsi_cls_conn *conn,
			      int attr, int param, bool num)
{
	struct iscsi_transport *t = conn->transport;
	int len;

	if (!iia_visible(t, ISCSI_PARAM, param) || !t->get_conn_param)
		return 0;
	if (param == ISCSI_PARAM_CONN_ADDRESS || param == ISCSI_PARAM_CONN_PORT)
		len = iia_conn_ep_param(conn, param);
	else
		len = t->get_conn_param(conn, param, iia_scratch);
	return iia_put_text(skb, attr, num, iia_text(len));
}

static int iia_put_host_param(struct sk_buff *skb, struct iscsi_transport *t,
			      struct Scsi_Host *shost, int attr, int param)
{
	if (!iia_visible(t, ISCSI_HOST_PARAM, param) || !t->get_host_param)
		return 0;
	return iia_put_text(skb, attr, false,
			    iia_text(t->get_host_param(shost, param,
						       iia_scratch)));
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

static int iia_fill_host(struct sk_buff *skb, struct iia_obj *obj)
{
	struct Scsi_Host *shost = transport_class_to_shost(obj->cdev);
	struct iscsi_transport *t = iia_host_transport(shost);
	struct iia_netdev_info info = {};
	struct pci_dev *pdev;
	struct nlattr *nest;
	char serial[64];
	int ret = -EMSGSIZE;

	nest = nla_nest_start(skb, IIA_A_HOST);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IIA_A_HOST_NO, shost->host_no) ||
	    (shost->hostt->proc_name &&
	     nla_put_string(skb, IIA_A_DRIVER, shost->hostt->proc_name)) ||
	    iia_put_host_param(skb, t, shost, IIA_A_HOST_NETDEV,
			       ISCSI_HOST_PARAM_NETDEV_NAME) ||
	    iia_put_host_param(skb, t, shost, IIA_A_HOST_HWADDRESS,
			       ISCSI_HOST_PARAM_HWADDRESS) ||
	    iia_put_host_param(skb, t, shost, IIA_A_HOST_IPADDRESS,
			       ISCSI_HOST_PARAM_IPADDRESS))
		return -EMSGSIZE;

	pdev = iia_host_pci(shost);
	if (pdev) {
		ret = nla_put_string(skb, IIA_A_HOST_PCI_SLOT, pci_name(pdev));
		pci_dev_put(pdev);
		if (ret)
			return -EMSGSIZE;
	}

	if (!iia_resolve_host(obj->cdev, iia_scratch, &info)) {
		if (info.addr_len &&
		    nla_put(skb, IIA_A_HBA_HWADDR, info.addr_len, info.addr))
			goto out;
		if (info.pdev) {
			if (nla_put_string(skb, IIA_A_HBA_PCI_SLOT,
					   pci_name(info.pdev)))
				goto out;
			if (iia_serial(info.pdev, serial, sizeof(serial)) &&
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

static int iia_fill_conn(struct sk_buff *skb, struct iia_obj *obj,
			 struct Scsi_Host *shost)
{
	struct iscsi_cls_conn *conn = iscsi_dev_to_conn(obj->cdev->parent);
	struct iia_netdev_info info = {};
	struct nlattr *nest;
	int ret;

	nest = nla_nest_start(skb, IIA_A_CONN);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IIA_A_CID, conn->cid) ||
	    nla_put_string(skb, IIA_A_CONN_STATE,
			   iia_conn_state(READ_ONCE(conn->state))) ||
	    iia_put_conn_param(skb, conn, IIA_A_ADDRESS,
			       ISCSI_PARAM_CONN_ADDRESS, false) ||
	    iia_put_conn_param(skb, conn, IIA_A_PORT,
			       ISCSI_PARAM_CONN_PORT, true) ||
	    iia_put_conn_param(skb, conn, IIA_A_PERSISTENT_ADDRESS,
			       ISCSI_PARAM_PERSISTENT_ADDRESS, false) ||
	    iia_put_conn_param(skb, conn, IIA_A_PERSISTENT_PORT,
			       ISCSI_PARAM_PERSISTENT_PORT, true) ||
	    iia_put_conn_param(skb, conn, IIA_A_LOCAL_PORT,
			       ISCSI_PARAM_LOCAL_PORT, true) ||
	    iia_put_host_param(skb, iia_host_transport(shost), shost,
			       IIA_A_LOCAL_ADDRESS,
			       ISCSI_HOST_PARAM_IPADDRESS) ||
	    iia_put_conn_param(skb, conn, IIA_A_MAX_RECV_DLENGTH,
			       ISCSI_PARAM_MAX_RECV_DLENGTH, false) ||
	    iia_put_conn_param(skb, conn, IIA_A_MAX_XMIT_DLENGTH,
			       ISCSI_PARAM_MAX_XMIT_DLENGTH, false) ||
	    iia_put_conn_param(skb, conn, IIA_A_HEADER_DIGEST,
			       ISCSI_PARAM_HDRDGST_EN, false) ||
	    iia_put_conn_param(skb, conn, IIA_A_DATA_DIGEST,
			       ISCSI_PARAM_DATADGST_EN, false))
		return -EMSGSIZE;

	ret = 0;
	if (!iia_resolve_conn(conn, iia_scratch, &info))
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
	if (!nest ||
	    nla_put_string(skb, IIA_A_DEV_HCTL, hctl) ||
	    (state && nla_put_string(skb, IIA_A_DEV_STATE, state)) ||
	    (block[0] && nla_put_string(skb, IIA_A_DEV_BLOCK, block)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int iia_fill_devs(struct sk_buff *skb, struct Scsi_Host *shost,
			 struct iscsi_cls_session *session)
{
	struct scsi_device *sdev;

	shost_for_each_device(sdev, shost) {
		if (!sdev->sdev_target ||
		    sdev->sdev_target->dev.parent != &session->dev)
			continue;
		if (iia_fill_dev(skb, sdev)) {
			scsi_device_put(sdev);
			return -EMSGSIZE;
		}
	}
	return 0;
}

static int iia_fill_session(struct sk_buff *skb, struct iia_obj *obj)
{
	struct iscsi_cls_session *session = iscsi_dev_to_session(obj->cdev->parent);
	struct Scsi_Host *shost = iscsi_session_to_shost(session);
	const char *state = iia_session_state(READ_ONCE(session->state));
	struct iia_obj *c;
	struct nlattr *nest;

	nest = nla_nest_start(skb, IIA_A_SESSION);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, IIA_A_SID, session->sid) ||
	    nla_put_u32(skb, IIA_A_HOST_NO, shost->host_no) ||
	    (state && nla_put_string(skb, IIA_A_SESSION_STATE, state)) ||
	    iia_put_session_param(skb, session, IIA_A_TARGET_NAME,
				  ISCSI_PARAM_TARGET_NAME, false) ||
	    iia_put_session_param(skb, session, IIA_A_TPGT,
				  ISCSI_PARAM_TPGT, true) ||
	    iia_put_session_param(skb, session, IIA_A_IFACE_NAME,
				  ISCSI_PARAM_IFACE_NAME, false) ||
	    (session->recovery_tmo != -1 &&
	     nla_put_s32(skb, IIA_A_RECOVERY_TMO, session->recovery_tmo)) ||
	    iia_put_session_param(skb, session, IIA_A_INITIAL_R2T,
				  ISCSI_PARAM_INITIAL_R2T_EN, false) ||
	    iia_put_session_param(skb, session, IIA_A_IMMEDIATE_DATA,
				  ISCSI_PARAM_IMM_DATA_EN, false) ||
	    iia_put_session_param(skb, session, IIA_A_FIRST_BURST_LEN,
				  ISCSI_PARAM_FIRST_BURST, false) ||
	    iia_put_session_param(skb, session, IIA_A_MAX_BURST_LEN,
				  ISCSI_PARAM_MAX_BURST, false) ||
	    iia_put_session_param(skb, session, IIA_A_MAX_OUTSTANDING_R2T,
				  ISCSI_PARAM_MAX_R2T, false) ||
	    iia_put_session_param(skb, session, IIA_A_ERL,
				  ISCSI_PARAM_ERL, false))
		return -EMSGSIZE;

	list_for_each_entry(c, &iia_conns, node) {
		if (c->id == obj->id && iia_fill_conn(skb, c, shost))
			return -EMSGSIZE;
	}
	if (iia_fill_devs(skb, shost, session))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One message for @obj; nothing is left in @skb on failure. */
static int iia_dump_one(struct sk_buff *skb, struct netlink_callback *cb,
			struct iia_obj *obj, bool host)
{
	void *hdr;
	int ret;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &iia_family, NLM_F_MULTI, IIA_CMD_GET);
	if (!hdr)
		return -EMSGSIZE;
	ret = host ? iia_fill_host(skb, obj) : iia_fill_session(skb, obj);
	if (ret) {
		genlmsg_cancel(skb, hdr);
		return ret;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * cb->args[0]: 0 while sending hosts, 1 while sending sessions, 2 done.
 * cb->args[1]: the smallest host number or session id still to send.
 * Lists are sorted by that number and the numbers are never reused while
 * the module is loaded (host_no and sid only grow), so every object
 * present for the whole dump is sent exactly once, objects that go away
 * are simply not sent, and objects that appear may or may not be.
 */
static int iia_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	unsigned int batch = READ_ONCE(dump_batch), n = 0;
	struct list_head *head;
	struct iia_obj *obj;
	int ret = 0;

	mutex_lock(&iia_mutex);
	while (cb->args[0] < 2) {
		head = cb->args[0] == 0 ? &iia_hosts : &iia_sessions;
		list_for_each_entry(obj, head, node) {
			if (obj->id < cb->args[1])
				continue;
			if (batch && n >= batch)
				goto out;
			ret = iia_dump_one(skb, cb, obj, cb->args[0] == 0);
			if (ret)
				goto out;
			cb->args[1] = (long)obj->id + 1;
			n++;
		}
		cb->args[0]++;
		cb->args[1] = 0;
	}
out:
	mutex_unlock(&iia_mutex);
	/* A single object larger than an empty message is an error. */
	if (ret && !n)
		return ret;
	return skb->len;
}

/* ------------------------------------------------------------------ */
/* Events                                                             */
/* ------------------------------------------------------------------ */

/* Called with iia_mutex held. */
static void iia_notify(u8 cmd, const struct iia_obj *obj, bool conn,
		       const char *state, const char *old_iface)
{
	struct sk_buff *skb;
	void *hdr;

	if (!iia_running || !genl_has_listeners(&iia_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
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
	genlmsg_multicast(&iia_family, skb, 0, 0, GFP_KERNEL);
	return;
err:
	nlmsg_free(skb);
}

/*
 * Look for state changes of sessions and connections and for changes of
 * the netdev a connection uses.  Only while someone listens; the first
 * scan after a listener appears only records (nothing it would report is
 * news to a client that dumps after subscribing).
 */
static void iia_scan(struct work_struct *work)
{
	struct iscsi_cls_session *session;
	struct iscsi_cls_conn *conn;
	struct iia_netdev_info info;
	char old[IFNAMSIZ];
	struct iia_obj *obj;
	bool notify;
	int state;

	mutex_lock(&iia_mutex);
	if (!iia_running)
		goto out;
	notify = iia_listening;
	iia_listening = genl_has_listeners(&iia_family, &init_net, 0);
	if (!iia_listening)
		goto rearm;
	notify = notify && iia_listening;

	list_for_each_entry(obj, &iia_sessions, node) {
		session = iscsi_dev_to_session(obj->cdev->parent);
		state = READ_ONCE(session->state);
		if (state == obj->state)
			continue;
		obj->state = state;
		if (notify)
			iia_notify(IIA_CMD_SESSION_STATE, obj, false,
				   iia_session_state(state), NULL);
	}

	list_for_each_entry(obj, &iia_conns, node) {
		conn = iscsi_dev_to_conn(obj->cdev->parent);
		state = READ_ONCE(conn->state);
		if (state != obj->state) {
			obj->state = state;
			if (notify)
				iia_notify(IIA_CMD_CONN_STATE, obj, true,
					   iia_conn_state(state), NULL);
		}
		/* No socket (recovery): not a change; the next one will be. */
		memset(&info, 0, sizeof(info));
		if (!iia_resolve_conn(conn, iia_scratch, &info) && info.name[0] &&
		    (info.ifindex != obj->ifindex ||
		     strcmp(info.name, obj->iface) ||
		     info.addr_len != obj->addr_len ||
		     memcmp(info.addr, obj->addr, info.addr_len))) {
			strscpy(old, obj->iface, sizeof(old));
			obj->ifindex = info.ifindex;
			strscpy(obj->iface, info.name, sizeof(obj->iface));
			obj->addr_len = info.addr_len;
			memcpy(obj->addr, info.addr, info.addr_len);
			if (notify)
				iia_notify(IIA_CMD_IFACE_CHANGE, obj, true,
					   NULL, old);
		}
		iia_info_release(&info);
	}
rearm:
	queue_delayed_work(system_wq, &iia_scan_work,
			   msecs_to_jiffies(max(READ_ONCE(event_poll_ms), 100U)));
out:
	mutex_unlock(&iia_mutex);
}

/* A rename, an address change or a NIC going away: look now. */
static int iia_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	switch (event) {
	case NETDEV_CHANGENAME:
	case NETDEV_CHANGEADDR:
	case NETDEV_UNREGISTER:
	case NETDEV_UP:
	case NETDEV_DOWN:
		mod_delayed_work(system_wq, &iia_scan_work, 0);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block iia_netdev_nb = {
	.notifier_call = iia_netdev_event,
};

/* ------------------------------------------------------------------ */
/* Tracking                                                           */
/* ------------------------------------------------------------------ */

static void iia_insert(struct list_head *head, struct iia_obj *obj)
{
	struct iia_obj *pos;

	list_for_each_entry_reverse(pos, head, node) {
		if (pos->id < obj->id ||
		    (pos->id == obj->id && pos->cid <= obj->cid)) {
			list_add(&obj->node, &pos->node);
			return;
		}
	}
	list_add(&obj->node, head);
}

static struct iia_obj *iia_take(struct list_head *head, struct device *cdev)
{
	struct iia_obj *obj;

	list_for_each_entry(obj, head, node) {
		if (obj->cdev == cdev) {
			list_del(&obj->node);
			return obj;
		}
	}
	return NULL;
}

static struct iia_obj *iia_obj_new(struct device *cdev)
{
	/* On failure the object is missing from dumps and events. */
	struct iia_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (obj)
		obj->cdev = cdev;
	return obj;
}

void iia_nl_conn_add(struct device *cdev)
{
	struct iscsi_cls_conn *conn = iscsi_dev_to_conn(cdev->parent);
	struct iscsi_cls_session *session = iscsi_dev_to_session(conn->dev.parent);
	struct iia_obj *obj = iia_obj_new(cdev);

	if (!obj)
		return;
	obj->id = session->sid;
	obj->cid = conn->cid;
	obj->host_no = iscsi_session_to_shost(session)->host_no;
	obj->state = READ_ONCE(conn->state);
	mutex_lock(&iia_mutex);
	iia_insert(&iia_conns, obj);
	iia_notify(IIA_CMD_CONN_ADD, obj, true, iia_conn_state(obj->state),
		   NULL);
	mutex_unlock(&iia_mutex);
}

void iia_nl_conn_remove(struct device *cdev)
{
	struct iia_obj *obj;

	mutex_lock(&iia_mutex);
	obj = iia_take(&iia_conns, cdev);
	if (obj)
		iia_notify(IIA_CMD_CONN_REMOVE, obj, true, NULL, NULL);
	mutex_unlock(&iia_mutex);
	kfree(obj);
}

void iia_nl_host_add(struct device *cdev)
{
	struct iia_obj *obj = iia_obj_new(cdev);

	if (!obj)
		return;
	obj->id = transport_class_to_shost(cdev)->host_no;
	obj->host_no = obj->id;
	mutex_lock(&iia_mutex);
	iia_insert(&iia_hosts, obj);
	mutex_unlock(&iia_mutex);
}

void iia_nl_host_remove(struct device *cdev)
{
	struct iia_obj *obj;

	mutex_lock(&iia_mutex);
	obj = iia_take(&iia_hosts, cdev);
	mutex_unlock(&iia_mutex);
	kfree(obj);
}

static int iia_session_add_dev(struct device *cdev,
			       struct class_interface *intf)
{
	struct iscsi_cls_session *session = iscsi_dev_to_session(cdev->parent);
	struct iia_obj *obj = iia_obj_new(cdev);

	if (!obj)
		return 0;
	obj->id = session->sid;
	obj->host_no = iscsi_session_to_shost(session)->host_no;
	obj->state = READ_ONCE(session->state);
	mutex_lock(&iia_mutex);
	iia_insert(&iia_sessions, obj);
	iia_notify(IIA_CMD_SESSION_ADD, obj, false,
		   iia_session_state(obj->state), NULL);
	mutex_unlock(&iia_mutex);
	return 0;
}

static void iia_session_remove_dev(struct device *cdev,
				   struct class_interface *intf)
{
	struct iia_obj *obj;

	mutex_lock(&iia_mutex);
	obj = iia_take(&iia_sessions, cdev);
	if (obj)
		iia_notify(IIA_CMD_SESSION_REMOVE, obj, false, NULL, NULL);
	mutex_unlock(&iia_mutex);
	kfree(obj);
}

static struct class_interface iia_session_intf = {
	.add_dev	= iia_session_add_dev,
	.remove_dev	= iia_session_remove_dev,
};

int iia_nl_session_intf_register(void)
{
	iia_session_intf.class = iia_session_class;
	return class_interface_register(&iia_session_intf);
}

void iia_nl_session_intf_unregister(void)
{
	class_interface_unregister(&iia_session_intf);
}

/* ------------------------------------------------------------------ */
/* Load and unload                                                    */
/* ------------------------------------------------------------------ */

/* Before the class interfaces are registered. */
int iia_nl_init(void)
{
	int ret;

	iia_scratch = (char *)__get_free_page(GFP_KERNEL);
	if (!iia_scratch)
		return -ENOMEM;
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
	free_page((unsigned long)iia_scratch);
	iia_scratch = NULL;
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
	queue_delayed_work(system_wq, &iia_scan_work, 0);
}

/*
 * Before the class interfaces are unregistered: no more events, no more
 * scans, no more dumps.  A dump in progress holds a reference on this
 * module (netlink_dump_start()), so none runs once module_exit is called.
 */
void iia_nl_stop(void)
{
	if (!iia_scratch)
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

/* After the class interfaces are unregistered (every entry is gone). */
void iia_nl_exit(void)
{
	struct list_head *heads[] = { &iia_hosts, &iia_sessions, &iia_conns };
	struct iia_obj *obj, *tmp;
	int i;

	for (i = 0; i < ARRAY_SIZE(heads); i++) {
		list_for_each_entry_safe(obj, tmp, heads[i], node) {
			WARN_ON_ONCE(1);
			list_del(&obj->node);
			kfree(obj);
		}
	}
	free_page((unsigned long)iia_scratch);
	iia_scratch = NULL;
}
