// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs: tracking of the iSCSI host, session and connection
 * class devices, from the class interface's add_dev() to its remove_dev().
 *
 * Hosts and sessions sit in xarrays keyed by host number and session id
 * (numbers that only grow while scsi_transport_iscsi is loaded), so a dump
 * or a scan resumes from a number in O(log n) instead of walking a list
 * again; connections hang off their session.  iia_mutex protects the
 * xarrays, the lists and every field of an object, and is only ever held
 * for such bookkeeping: no transport callback, socket lookup or PCI read
 * runs under it.  Work outside the mutex is done on a pinned object;
 * remove_dev() (which the driver core calls with the class's mutex held,
 * before the device is deleted) unlinks the object and waits for its pins
 * to drop, which is bounded by the work on that one object.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/transport_class.h>
#include <linux/wait.h>
#include <linux/xarray.h>
#include <scsi/scsi_transport.h>

#include "iia.h"

/* The xarrays, the connection lists and every field of a tracked object. */
DEFINE_MUTEX(iia_mutex);
static DEFINE_XARRAY(iia_hosts);
static DEFINE_XARRAY(iia_sessions);
static LIST_HEAD(iia_orphans);	/* connections whose session went first */
static DECLARE_WAIT_QUEUE_HEAD(iia_pin_wq);

static struct xarray *iia_xa(enum iia_kind kind)
{
	return kind == IIA_HOST ? &iia_hosts : &iia_sessions;
}

void iia_pin(struct iia_obj *obj)
{
	lockdep_assert_held(&iia_mutex);
	obj->pins++;
}

void iia_unpin(struct iia_obj *obj)
{
	lockdep_assert_held(&iia_mutex);
	if (!--obj->pins && obj->dead)
		wake_up_all(&iia_pin_wq);
}

/**
 * iia_pin_conns() - pin the live connections of a session
 * @session: a session object (pinned or looked up under iia_mutex)
 * @conns: room for IIA_MAX_CONNS pointers
 *
 * Return: how many were pinned, in cid order; unpin each after use.
 */
int iia_pin_conns(struct iia_obj *session, struct iia_obj **conns)
{
	struct iia_obj *c;
	int n = 0;

	lockdep_assert_held(&iia_mutex);
	list_for_each_entry(c, &session->conns, node) {
		if (c->dead || n == IIA_MAX_CONNS)
			continue;
		iia_pin(c);
		conns[n++] = c;
	}
	return n;
}

/* The first live host or session whose number is >= *id; under iia_mutex. */
struct iia_obj *iia_track_next(enum iia_kind kind, unsigned long *id)
{
	struct iia_obj *obj;

	lockdep_assert_held(&iia_mutex);
	obj = xa_find(iia_xa(kind), id, ULONG_MAX, XA_PRESENT);
	return obj;
}

struct iia_obj *iia_track_find(enum iia_kind kind, unsigned long id)
{
	lockdep_assert_held(&iia_mutex);
	return xa_load(iia_xa(kind), id);
}

static struct iia_obj *iia_obj_new(enum iia_kind kind, struct device *cdev)
{
	struct iia_obj *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (!obj)
		return NULL;
	iia_stat_get(IIA_ST_OBJ);
	obj->kind = kind;
	obj->cdev = cdev;
	INIT_LIST_HEAD(&obj->conns);
	INIT_LIST_HEAD(&obj->node);
	return obj;
}

void iia_obj_free(struct iia_obj *obj)
{
	if (!obj)
		return;
	iia_stat_put(IIA_ST_OBJ);
	kfree(obj);
}

/* Insert a connection in cid order. */
static void iia_conn_link(struct iia_obj *session, struct iia_obj *obj)
{
	struct iia_obj *pos;

	list_for_each_entry_reverse(pos, &session->conns, node) {
		if (pos->cid <= obj->cid) {
			list_add(&obj->node, &pos->node);
			return;
		}
	}
	list_add(&obj->node, &session->conns);
}

/**
 * iia_track_add() - start tracking a class device
 * @kind: what it is
 * @cdev: the class device, in add_dev() (its class's mutex held)
 *
 * Return: the object, or NULL when out of memory (the caller then adds
 * nothing: no attributes, no dump entry).
 */
struct iia_obj *iia_track_add(enum iia_kind kind, struct device *cdev)
{
	struct iscsi_cls_session *session;
	struct iscsi_cls_conn *conn;
	struct iia_obj *obj, *parent;
	int ret = 0;

	obj = iia_obj_new(kind, cdev);
	if (!obj)
		return NULL;
	switch (kind) {
	case IIA_HOST:
		obj->id = transport_class_to_shost(cdev)->host_no;
		obj->host_no = obj->id;
		break;
	case IIA_SESSION:
		session = iscsi_dev_to_session(cdev->parent);
		obj->id = session->sid;
		obj->host_no = iscsi_session_to_shost(session)->host_no;
		obj->state = READ_ONCE(session->state);
		break;
	case IIA_CONN:
		conn = iscsi_dev_to_conn(cdev->parent);
		session = iscsi_dev_to_session(conn->dev.parent);
		obj->id = session->sid;
		obj->cid = conn->cid;
		obj->host_no = iscsi_session_to_shost(session)->host_no;
		obj->state = READ_ONCE(conn->state);
		break;
	}

	mutex_lock(&iia_mutex);
	switch (kind) {
	case IIA_HOST:
	case IIA_SESSION:
		ret = xa_insert(iia_xa(kind), obj->id, obj, GFP_KERNEL);
		if (ret)
			break;
		parent = kind == IIA_SESSION ?
			 xa_load(&iia_hosts, obj->host_no) : NULL;
		if (parent) {
			parent->sid = obj->id;
			parent->t = iscsi_dev_to_session(cdev->parent)->transport;
		}
		break;
	case IIA_CONN:
		parent = xa_load(&iia_sessions, obj->id);
		if (parent) {
			obj->session = parent;
			iia_conn_link(parent, obj);
		} else {
			list_add_tail(&obj->node, &iia_orphans);
		}
		break;
	}
	if (!ret)
		iia_nl_added(obj);
	mutex_unlock(&iia_mutex);

	if (ret) {
		/* The same number twice: a device we never saw removed. */
		pr_warn("%s: cannot track %s: %d\n", dev_name(cdev),
			kind == IIA_HOST ? "host" : "session", ret);
		iia_obj_free(obj);
		return NULL;
	}
	return obj;
}

static struct iia_obj *iia_find_conn(struct device *cdev, unsigned long sid)
{
	struct iia_obj *session, *c;

	session = xa_load(&iia_sessions, sid);
	if (session) {
		list_for_each_entry(c, &session->conns, node)
			if (c->cdev == cdev)
				return c;
	}
	list_for_each_entry(c, &iia_orphans, node)
		if (c->cdev == cdev)
			return c;
	return NULL;
}

/**
 * iia_track_remove() - stop tracking a class device
 * @kind: what it is
 * @cdev: the class device, in remove_dev() (its class's mutex held)
 *
 * Unlinks the object so that nobody finds it any more, then waits until
 * no reader has it pinned.
 *
 * Return: the object (free with iia_obj_free()), or NULL if not tracked.
 */
struct iia_obj *iia_track_remove(enum iia_kind kind, struct device *cdev)
{
	struct iia_obj *obj, *c, *tmp;
	unsigned long id;

	if (kind == IIA_HOST)
		id = transport_class_to_shost(cdev)->host_no;
	else if (kind == IIA_SESSION)
		id = iscsi_dev_to_session(cdev->parent)->sid;
	else
		id = iscsi_dev_to_session(iscsi_dev_to_conn(cdev->parent)->dev.parent)->sid;

	mutex_lock(&iia_mutex);
	if (kind == IIA_CONN) {
		obj = iia_find_conn(cdev, id);
		if (obj)
			list_del_init(&obj->node);
	} else {
		obj = xa_load(iia_xa(kind), id);
		if (obj && obj->cdev == cdev)
			xa_erase(iia_xa(kind), id);
		else
			obj = NULL;
	}
	if (obj && kind == IIA_SESSION) {
		list_for_each_entry_safe(c, tmp, &obj->conns, node) {
			c->session = NULL;
			list_move_tail(&c->node, &iia_orphans);
		}
	}
	if (obj) {
		obj->dead = true;
		iia_nl_removed(obj);
	}
	mutex_unlock(&iia_mutex);
	if (!obj)
		return NULL;

	wait_event(iia_pin_wq, !READ_ONCE(obj->pins));
	return obj;
}

/* At unload, after the class interfaces are gone: nothing may be left. */
void iia_track_exit(void)
{
	struct iia_obj *obj, *tmp;
	unsigned long id;

	xa_for_each(&iia_hosts, id, obj) {
		WARN_ON_ONCE(1);
		xa_erase(&iia_hosts, id);
		iia_obj_free(obj);
	}
	xa_for_each(&iia_sessions, id, obj) {
		WARN_ON_ONCE(1);
		list_splice_init(&obj->conns, &iia_orphans);
		xa_erase(&iia_sessions, id);
		iia_obj_free(obj);
	}
	list_for_each_entry_safe(obj, tmp, &iia_orphans, node) {
		WARN_ON_ONCE(1);
		list_del(&obj->node);
		iia_obj_free(obj);
	}
}
