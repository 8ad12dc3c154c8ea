// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs - export the network interface each iSCSI connection
 * really uses, and the identity of every iSCSI host.
 *
 * Adds to every /sys/class/iscsi_connection/connectionS:C/:
 *   iface            netdev the connection's TCP socket uses
 *   iface_hwaddress  that netdev's MAC address
 * and to every /sys/class/iscsi_host/hostN/:
 *   hba_hwaddress, hba_pci_slot, hba_serial (root only)
 *
 * The module learns about connections, sessions and hosts through class
 * interfaces on their classes.  The iscsi_host class is public: it is the
 * class of the host container of every iSCSI transport template.  The
 * connection and session classes are only reachable through the private
 * layout behind a template; iia_private_classes() is the one place that
 * reads it, checks it and refuses to load when it does not match.  Nothing
 * runs on the I/O path.  See docs/kmod.md for the lifetime and locking
 * argument.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/transport_class.h>
#include <linux/uaccess.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_transport.h>
#include <scsi/scsi_transport_iscsi.h>

#include "iia.h"

bool iia_force_host_fallback;
module_param_named(force_host_fallback, iia_force_host_fallback, bool, 0644);
MODULE_PARM_DESC(force_host_fallback,
		 "Test hook: resolve every connection as if its transport were an offload HBA (default: N)");

struct class *iia_conn_class;
struct class *iia_host_class;
struct class *iia_session_class;

/* ------------------------------------------------------------------ */
/* Load-time discovery of the iSCSI classes                           */
/* ------------------------------------------------------------------ */

/*
 * The probe transport is registered for a few microseconds at load.  While
 * it is, scsi_transport_iscsi accepts its handle from iscsid's netlink
 * socket and calls some callbacks without checking them (create_session,
 * and the connection ones with a connection looked up by number), so every
 * such callback exists and refuses.
 */
static struct iscsi_cls_session *
iia_probe_create_session(struct iscsi_endpoint *ep, u16 cmds_max, u16 qdepth,
			 u32 sn)
{
	return NULL;
}

static void iia_probe_destroy_session(struct iscsi_cls_session *session)
{
}

static struct iscsi_cls_conn *
iia_probe_create_conn(struct iscsi_cls_session *session, u32 cid)
{
	return NULL;
}

static int iia_probe_bind_conn(struct iscsi_cls_session *session,
			       struct iscsi_cls_conn *conn, u64 eph,
			       int is_leading)
{
	return -ENODEV;
}

static void iia_probe_unbind_conn(struct iscsi_cls_conn *conn, bool active)
{
}

static int iia_probe_start_conn(struct iscsi_cls_conn *conn)
{
	return -ENODEV;
}

static void iia_probe_stop_conn(struct iscsi_cls_conn *conn, int flag)
{
}

static void iia_probe_destroy_conn(struct iscsi_cls_conn *conn)
{
}

static int iia_probe_set_param(struct iscsi_cls_conn *conn,
			       enum iscsi_param param, char *buf, int buflen)
{
	return -ENODEV;
}

static int iia_probe_send_pdu(struct iscsi_cls_conn *conn,
			      struct iscsi_hdr *hdr, char *data, u32 size)
{
	return -ENODEV;
}

static void iia_probe_get_stats(struct iscsi_cls_conn *conn,
				struct iscsi_stats *stats)
{
}

static int iia_probe_get_conn_param(struct iscsi_cls_conn *conn,
				    enum iscsi_param param, char *buf)
{
	return -ENODEV;
}

static int iia_probe_get_session_param(struct iscsi_cls_session *session,
				       enum iscsi_param param, char *buf)
{
	return -ENODEV;
}

static umode_t iia_probe_attr_is_visible(int param_type, int param)
{
	return 0;
}

static struct iscsi_transport iia_probe_transport = {
	.owner			= THIS_MODULE,
	.name			= KBUILD_MODNAME "_probe",
	.create_session		= iia_probe_create_session,
	.destroy_session	= iia_probe_destroy_session,
	.create_conn		= iia_probe_create_conn,
	.bind_conn		= iia_probe_bind_conn,
	.unbind_conn		= iia_probe_unbind_conn,
	.start_conn		= iia_probe_start_conn,
	.stop_conn		= iia_probe_stop_conn,
	.destroy_conn		= iia_probe_destroy_conn,
	.set_param		= iia_probe_set_param,
	.send_pdu		= iia_probe_send_pdu,
	.get_stats		= iia_probe_get_stats,
	.get_conn_param		= iia_probe_get_conn_param,
	.get_session_param	= iia_probe_get_session_param,
	.attr_is_visible	= iia_probe_attr_is_visible,
};

/* Compare a kernel string we do not trust yet, without risking a fault. */
static bool iia_kstr_eq(const char *unsafe, const char *want)
{
	char got[32];
	size_t len = strlen(want) + 1;

	if (len > sizeof(got) || !unsafe)
		return false;
	if (copy_from_kernel_nofault(got, unsafe, len))
		return false;
	return !memcmp(got, want, len);
}

/* Read a struct class pointer from @slot and return it if it is named @want. */
static struct class *iia_checked_class(struct class *const *slot,
				       const char *want)
{
	struct class *cls;
	const char *name;

	if (copy_from_kernel_nofault(&cls, slot, sizeof(cls)) || !cls)
		return NULL;
	if (copy_from_kernel_nofault(&name, &cls->name, sizeof(name)))
		return NULL;
	return iia_kstr_eq(name, want) ? cls : NULL;
}

/**
 * struct iia_iscsi_internal - mirror of scsi_transport_iscsi's private
 *	struct iscsi_internal (drivers/scsi/scsi_transport_iscsi.c; the same
 *	in Debian's 5.10, 6.1 and 6.12)
 * @t: the public transport template handed out to LLDs
 * @iscsi_transport: the LLD's transport
 * @list: entry on the transport list
 * @dev: the /sys/class/iscsi_transport device
 * @conn_cont: attribute container of the iscsi_connection class
 * @session_cont: attribute container of the iscsi_session class
 */
struct iia_iscsi_internal {
	struct scsi_transport_template t;
#ifdef IIA_TEST_LAYOUT_MISMATCH
	/* Test build: a kernel whose layout differs (tests/e2e/kmod-layout-refused). */
	void *iia_test_shift;
#endif
	struct iscsi_transport *iscsi_transport;
	struct list_head list;
	struct device dev;
	struct transport_container conn_cont;
	struct transport_container session_cont;
};

/**
 * iia_private_classes() - the one read of a private layout
 * @tmpl: the template scsi_transport_iscsi returned for the probe transport
 *
 * The connection and session classes sit in containers of the private
 * struct iscsi_internal that follows @tmpl.  Every value is read with
 * copy_from_kernel_nofault() and checked before it is believed: the back
 * pointer to the probe transport, the name of the transport device, and
 * the names of the classes the two containers point to.  A kernel with
 * another layout therefore fails a check instead of faulting.
 *
 * Return: 0 with iia_conn_class and iia_session_class set, or -ENODEV.
 */
static int iia_private_classes(struct scsi_transport_template *tmpl)
{
	struct iia_iscsi_internal *priv =
		container_of(tmpl, struct iia_iscsi_internal, t);
	struct iscsi_transport *back = NULL;
	const char *name = NULL;

	if (copy_from_kernel_nofault(&back, &priv->iscsi_transport,
				     sizeof(back)) ||
	    back != &iia_probe_transport)
		return -ENODEV;
	if (copy_from_kernel_nofault(&name, &priv->dev.kobj.name,
				     sizeof(name)) ||
	    !iia_kstr_eq(name, iia_probe_transport.name))
		return -ENODEV;
	iia_conn_class = iia_checked_class(&priv->conn_cont.ac.class,
					   "iscsi_connection");
	iia_session_class = iia_checked_class(&priv->session_cont.ac.class,
					      "iscsi_session");
	if (!iia_conn_class || !iia_session_class) {
		iia_conn_class = NULL;
		iia_session_class = NULL;
		return -ENODEV;
	}
	return 0;
}

/**
 * iia_probe_classes() - find the iscsi_host, iscsi_connection and
 *	iscsi_session classes
 *
 * Registering a transport returns the public struct
 * scsi_transport_template, whose host container names the iscsi_host
 * class.  The other two come from iia_private_classes().  The probe
 * transport is unregistered before returning; the class objects are
 * static data of scsi_transport_iscsi, which cannot be unloaded while this
 * module (which links against it) is loaded.
 *
 * Return: 0, or a negative errno with one line in the kernel log.
 */
static int __init iia_probe_classes(void)
{
	struct scsi_transport_template *tmpl;
	int ret;

	tmpl = iscsi_register_transport(&iia_probe_transport);
	if (!tmpl) {
		pr_err("cannot register the probe transport %s; not loading\n",
		       iia_probe_transport.name);
		return -EBUSY;
	}
	iia_host_class = tmpl->host_attrs.ac.class;
	ret = iia_private_classes(tmpl);
	iscsi_unregister_transport(&iia_probe_transport);
	if (ret || !iia_host_class ||
	    strcmp(iia_host_class->name, "iscsi_host")) {
		pr_err("layout check failed: scsi_transport_iscsi's private struct iscsi_internal is not the one this module was built for; not loading (iSCSI sessions are unaffected)\n");
		iia_host_class = NULL;
		return -ENODEV;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* iscsi_connection attributes                                        */
/* ------------------------------------------------------------------ */

/*
 * @cdev is the iscsi_connection class device; sysfs holds an active
 * reference on it while show() runs, and it holds a reference on its
 * parent, the iscsi_cls_conn device.
 */
static int iia_resolve_conn_cdev(struct device *cdev, char *scratch,
				 struct iia_netdev_info *info)
{
	return iia_resolve_conn(iscsi_dev_to_conn(cdev->parent), scratch, info);
}

static ssize_t iface_show(struct device *cdev, struct device_attribute *attr,
			  char *buf)
{
	struct iia_netdev_info info = {};
	int ret = iia_resolve_conn_cdev(cdev, buf, &info);

	iia_info_release(&info);
	if (ret)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%s\n", info.name);
}
static DEVICE_ATTR_RO(iface);

static ssize_t iia_emit_mac(char *buf, const struct iia_netdev_info *info)
{
	if (!info->addr_len)
		return sysfs_emit(buf, "\n");
	return sysfs_emit(buf, "%*phC\n", (int)info->addr_len, info->addr);
}

static ssize_t iface_hwaddress_show(struct device *cdev,
				    struct device_attribute *attr, char *buf)
{
	struct iia_netdev_info info = {};
	int ret = iia_resolve_conn_cdev(cdev, buf, &info);

	iia_info_release(&info);
	if (ret)
		return sysfs_emit(buf, "\n");
	return iia_emit_mac(buf, &info);
}
static DEVICE_ATTR_RO(iface_hwaddress);

static struct attribute *iia_conn_attrs[] = {
	&dev_attr_iface.attr,
	&dev_attr_iface_hwaddress.attr,
	NULL,
};

static const struct attribute_group iia_conn_group = {
	.attrs = iia_conn_attrs,
};

/* ------------------------------------------------------------------ */
/* iscsi_host attributes                                              */
/* ------------------------------------------------------------------ */

static ssize_t hba_hwaddress_show(struct device *cdev,
				  struct device_attribute *attr, char *buf)
{
	struct iia_netdev_info info = {};
	int ret = iia_resolve_host(cdev, buf, &info);

	iia_info_release(&info);
	if (ret)
		return sysfs_emit(buf, "\n");
	return iia_emit_mac(buf, &info);
}
static DEVICE_ATTR_RO(hba_hwaddress);

/*
 * Root only, like the PCI config space past 64 bytes and the vpd file the
 * serial comes from.
 */
static ssize_t hba_serial_show(struct device *cdev,
			       struct device_attribute *attr, char *buf)
{
	struct iia_netdev_info info = {};
	char serial[64] = "";

	if (!iia_resolve_host(cdev, buf, &info) && info.pdev)
		iia_serial(info.pdev, serial, sizeof(serial));
	iia_info_release(&info);
	return sysfs_emit(buf, "%s\n", serial);
}
static DEVICE_ATTR_ADMIN_RO(hba_serial);

static ssize_t hba_pci_slot_show(struct device *cdev,
				 struct device_attribute *attr, char *buf)
{
	struct iia_netdev_info info = {};
	ssize_t len;

	if (!iia_resolve_host(cdev, buf, &info) && info.pdev)
		len = sysfs_emit(buf, "%s\n", pci_name(info.pdev));
	else
		len = sysfs_emit(buf, "\n");
	iia_info_release(&info);
	return len;
}
static DEVICE_ATTR_RO(hba_pci_slot);

static struct attribute *iia_host_attrs[] = {
	&dev_attr_hba_hwaddress.attr,
	&dev_attr_hba_serial.attr,
	&dev_attr_hba_pci_slot.attr,
	NULL,
};

static const struct attribute_group iia_host_group = {
	.attrs = iia_host_attrs,
};

/* ------------------------------------------------------------------ */
/* Class interfaces                                                   */
/* ------------------------------------------------------------------ */

/*
 * add_dev/remove_dev run under the class's mutex, which device_add() and
 * device_del() also take around the class-interface calls, and which
 * class_interface_register()/unregister() hold while walking the existing
 * devices.  So each class device is added exactly once, after it is
 * registered, and removed exactly once, before it is deleted or before
 * this module goes away, whichever comes first.  The tracking object
 * records whether the attribute group was created, so a group that failed
 * to appear is never removed.
 */
static int iia_add(enum iia_kind kind, struct device *cdev,
		   const struct attribute_group *grp)
{
	struct iia_obj *obj = iia_track_add(kind, cdev);
	int ret;

	if (!obj)
		return -ENOMEM;
	if (!grp)
		return 0;
	ret = sysfs_create_group(&cdev->kobj, grp);
	if (ret) {
		dev_warn(cdev, "%s: cannot add attributes: %d\n",
			 KBUILD_MODNAME, ret);
		return ret;
	}
	mutex_lock(&iia_mutex);
	obj->group = true;
	mutex_unlock(&iia_mutex);
	kobject_uevent(&cdev->kobj, KOBJ_CHANGE);
	return 0;
}

static void iia_remove(enum iia_kind kind, struct device *cdev,
		       const struct attribute_group *grp)
{
	struct iia_obj *obj = iia_track_remove(kind, cdev);

	if (obj && obj->group)
		sysfs_remove_group(&cdev->kobj, grp);
	iia_obj_free(obj);
}

static int iia_conn_add_dev(IIA_INTF_ARGS)
{
	return iia_add(IIA_CONN, cdev, &iia_conn_group);
}

static void iia_conn_remove_dev(IIA_INTF_ARGS)
{
	iia_remove(IIA_CONN, cdev, &iia_conn_group);
}

static int iia_host_add_dev(IIA_INTF_ARGS)
{
	return iia_add(IIA_HOST, cdev, &iia_host_group);
}

static void iia_host_remove_dev(IIA_INTF_ARGS)
{
	iia_remove(IIA_HOST, cdev, &iia_host_group);
}

static int iia_session_add_dev(IIA_INTF_ARGS)
{
	return iia_add(IIA_SESSION, cdev, NULL);
}

static void iia_session_remove_dev(IIA_INTF_ARGS)
{
	iia_remove(IIA_SESSION, cdev, NULL);
}

static struct class_interface iia_host_intf = {
	.add_dev	= iia_host_add_dev,
	.remove_dev	= iia_host_remove_dev,
};

static struct class_interface iia_session_intf = {
	.add_dev	= iia_session_add_dev,
	.remove_dev	= iia_session_remove_dev,
};

static struct class_interface iia_conn_intf = {
	.add_dev	= iia_conn_add_dev,
	.remove_dev	= iia_conn_remove_dev,
};

/*
 * Hosts first, then sessions, then connections: each object finds its
 * parent's already tracked (a session its host, a connection its session).
 */
static int __init iscsi_iface_attrs_init(void)
{
	int ret;

	ret = iia_probe_classes();
	if (ret)
		return ret;

	iia_stats_init();
	ret = iia_nl_init();
	if (ret)
		goto err_stats;

	iia_host_intf.class = iia_host_class;
	ret = class_interface_register(&iia_host_intf);
	if (ret) {
		pr_err("cannot watch iscsi_host: %d\n", ret);
		goto err_nl;
	}

	iia_session_intf.class = iia_session_class;
	ret = class_interface_register(&iia_session_intf);
	if (ret) {
		pr_err("cannot watch iscsi_session: %d\n", ret);
		goto err_host;
	}

	iia_conn_intf.class = iia_conn_class;
	ret = class_interface_register(&iia_conn_intf);
	if (ret) {
		pr_err("cannot watch iscsi_connection: %d\n", ret);
		goto err_session;
	}

	iia_nl_start();
	pr_info("loaded\n");
	return 0;

err_session:
	class_interface_unregister(&iia_session_intf);
err_host:
	class_interface_unregister(&iia_host_intf);
err_nl:
	iia_nl_stop();
	iia_nl_exit();
err_stats:
	iia_track_exit();
	iia_stats_exit();
	return ret;
}

static void __exit iscsi_iface_attrs_exit(void)
{
	iia_nl_stop();
	class_interface_unregister(&iia_conn_intf);
	class_interface_unregister(&iia_session_intf);
	class_interface_unregister(&iia_host_intf);
	iia_nl_exit();
	iia_track_exit();
	iia_stats_exit();
	pr_info("unloaded\n");
}

module_init(iscsi_iface_attrs_init);
module_exit(iscsi_iface_attrs_exit);

MODULE_DESCRIPTION("iSCSI connection iface and host identity attributes");
MODULE_AUTHOR("iscsictl developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.3.0");
