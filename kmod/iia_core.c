// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs - export the network interface each iSCSI connection
 * really uses, and the identity of every iSCSI host.
 *
 * Adds to every /sys/class/iscsi_connection/connectionS:C/:
 *   iface            netdev the connection's TCP socket uses
 *   iface_hwaddress  that netdev's MAC address
 * and to every /sys/class/iscsi_host/hostN/:
 *   hba_hwaddress, hba_serial, hba_pci_slot
 *
 * The module learns about connections and hosts through a class_interface
 * on the iscsi_connection and iscsi_host classes.  Their struct class
 * pointers are not exported; they are read from a short-lived probe
 * transport registered with iscsi_register_transport() and verified by name
 * before use.  Everything is resolved at read time; nothing runs on the I/O
 * path.  See docs/kmod.md for the lifetime and locking argument.
 *
 * The same resolution feeds the generic netlink family "iscsi_iface"
 * (iia_netlink.c, docs/netlink.md).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/init.h>
#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/transport_class.h>
#include <linux/uaccess.h>
#include <net/inet6_hashtables.h>
#include <net/inet_hashtables.h>
#include <net/ip6_route.h>
#include <net/net_namespace.h>
#include <net/route.h>
#include <net/sock.h>
#include <scsi/iscsi_if.h>
#include <scsi/scsi_host.h>
#include <scsi/scsi_transport.h>
#include <scsi/scsi_transport_iscsi.h>

#include "iia.h"

static bool force_host_fallback;
module_param(force_host_fallback, bool, 0644);
MODULE_PARM_DESC(force_host_fallback,
		 "Test hook: resolve every connection as if its transport were an offload HBA (default: N)");

/**
 * struct iia_iscsi_internal - mirror of scsi_transport_iscsi's private
 *	struct iscsi_internal (drivers/scsi/scsi_transport_iscsi.c, v6.1)
 * @t: the public transport template handed out to LLDs
 * @iscsi_transport: the LLD's transport
 * @list: entry on the transport list
 * @dev: the /sys/class/iscsi_transport device
 * @conn_cont: attribute container of the iscsi_connection class
 * @session_cont: attribute container of the iscsi_session class
 *
 * This is the only private layout the module depends on.  iia_probe_classes()
 * checks it against a live instance at load time and refuses to load when it
 * does not match; afterwards only @iscsi_transport is read, for hosts whose
 * template has been confirmed to belong to the iscsi_host class.
 */
struct iia_iscsi_internal {
	struct scsi_transport_template t;
	struct iscsi_transport *iscsi_transport;
	struct list_head list;
	struct device dev;
	struct transport_container conn_cont;
	struct transport_container session_cont;
};

struct class *iia_conn_class;
struct class *iia_host_class;
struct class *iia_session_class;

void iia_info_release(struct iia_netdev_info *info)
{
	pci_dev_put(info->pdev);
	info->pdev = NULL;
}

/**
 * struct iia_tuple - the 4-tuple of a connection's TCP socket
 * @family: AF_INET or AF_INET6
 * @laddr: local address
 * @raddr: remote (portal) address
 * @lport: local port, host order
 * @rport: remote port, host order
 */
struct iia_tuple {
	int family;
	union {
		__be32 v4;
		struct in6_addr v6;
	} laddr, raddr;
	u16 lport;
	u16 rport;
};

/* ------------------------------------------------------------------ */
/* Load-time discovery of the (unexported) iSCSI classes               */
/* ------------------------------------------------------------------ */

static struct iscsi_transport iia_probe_transport = {
	.owner	= THIS_MODULE,
	.name	= KBUILD_MODNAME "_probe",
};

/* Compare a kernel string we do not trust yet, without risking a fault. */
static bool iia_kstr_eq(const char *unsafe, const char *want)
{
	char got[32];
	size_t len = strlen(want) + 1;

	if (WARN_ON_ONCE(len > sizeof(got)) || !unsafe)
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
 * iia_probe_classes() - find the iscsi_connection and iscsi_host classes
 *
 * scsi_transport_iscsi keeps its transport classes static.  Registering a
 * transport returns the public struct scsi_transport_template, whose
 * host_attrs container names the iscsi_host class; the iscsi_connection
 * class is in the private container that follows it (see
 * struct iia_iscsi_internal).  Every value read through the private layout
 * is first checked (the back pointer to our transport, the transport
 * device's name, the three class names) with non-faulting reads, so a
 * layout mismatch makes the module refuse to load instead of reading wrong
 * memory.  The probe transport is unregistered before returning; the class
 * objects it pointed to are static data of scsi_transport_iscsi, which
 * cannot be unloaded while this module (which links against it) is loaded.
 *
 * Return: 0, or a negative errno with the reason logged.
 */
static int __init iia_probe_classes(void)
{
	struct scsi_transport_template *tmpl;
	struct iia_iscsi_internal *priv;
	struct iscsi_transport *back = NULL;
	const char *dev_name_ptr = NULL;
	int ret = -ENODEV;

	tmpl = iscsi_register_transport(&iia_probe_transport);
	if (!tmpl) {
		pr_err("cannot register the probe transport %s\n",
		       iia_probe_transport.name);
		return -EBUSY;
	}
	priv = container_of(tmpl, struct iia_iscsi_internal, t);

	if (copy_from_kernel_nofault(&back, &priv->iscsi_transport,
				     sizeof(back)) ||
	    back != &iia_probe_transport)
		goto mismatch;
	if (copy_from_kernel_nofault(&dev_name_ptr, &priv->dev.kobj.name,
				     sizeof(dev_name_ptr)) ||
	    !iia_kstr_eq(dev_name_ptr, iia_probe_transport.name))
		goto mismatch;

	iia_host_class = iia_checked_class(&tmpl->host_attrs.ac.class,
					   "iscsi_host");
	iia_conn_class = iia_checked_class(&priv->conn_cont.ac.class,
					   "iscsi_connection");
	iia_session_class = iia_checked_class(&priv->session_cont.ac.class,
					      "iscsi_session");
	if (!iia_host_class || !iia_conn_class || !iia_session_class)
		goto mismatch;

	ret = 0;
	goto out;

mismatch:
	pr_err("scsi_transport_iscsi's struct iscsi_internal does not have the layout this module was built for; refusing to load\n");
	iia_host_class = NULL;
	iia_conn_class = NULL;
	iia_session_class = NULL;
out:
	iscsi_unregister_transport(&iia_probe_transport);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Parameters through the transport's public callbacks                */
/* ------------------------------------------------------------------ */

/* Strip trailing whitespace of a @len byte result in @buf. */
static int iia_strip(char *buf, int len)
{
	if (len <= 0 || len >= PAGE_SIZE)
		return len < 0 ? len : -EINVAL;
	buf[len] = '\0';
	while (len && isspace(buf[len - 1]))
		buf[--len] = '\0';
	return len;
}

/*
 * The transports print their parameters with sysfs_emit(), which insists on
 * a page-aligned PAGE_SIZE buffer: @scratch is always the sysfs page of the
 * attribute being read.
 */
static int iia_conn_param(struct iscsi_cls_conn *conn, enum iscsi_param param,
			  char *scratch)
{
	if (!conn->transport->get_conn_param)
		return -EOPNOTSUPP;
	return iia_strip(scratch,
			 conn->transport->get_conn_param(conn, param, scratch));
}

static int iia_host_param(struct iscsi_transport *t, struct Scsi_Host *shost,
			  enum iscsi_host_param param, char *scratch)
{
	if (!t || !t->get_host_param)
		return -EOPNOTSUPP;
	return iia_strip(scratch, t->get_host_param(shost, param, scratch));
}

static int iia_parse_addr(const char *s, int len, int *family, void *addr)
{
	if (in4_pton(s, len, addr, -1, NULL)) {
		*family = AF_INET;
		return 0;
	}
	if (in6_pton(s, len, addr, -1, NULL)) {
		*family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

static int iia_port_param(struct iscsi_cls_conn *conn, enum iscsi_param param,
			  char *scratch, u16 *port)
{
	int len = iia_conn_param(conn, param, scratch);

	if (len < 0)
		return len;
	return kstrtou16(scratch, 10, port);
}

/* Parse a MAC printed by a driver (any case, ':' '-' '.' or no separator). */
static unsigned int iia_parse_mac(const char *s, u8 *mac)
{
	unsigned int n = 0;
	int hi = -1, v;

	for (; *s; s++) {
		if (*s == ':' || *s == '-' || *s == '.')
			continue;
		v = hex_to_bin(*s);
		if (v < 0 || n == ETH_ALEN)
			return 0;
		if (hi < 0) {
			hi = v;
		} else {
			mac[n++] = (hi << 4) | v;
			hi = -1;
		}
	}
	return (n == ETH_ALEN && hi < 0) ? n : 0;
}

/**
 * iia_conn_tuple() - read the 4-tuple of a software connection's socket
 * @conn: the connection, kept alive by the caller
 * @shost: its host
 * @t: its transport
 * @scratch: page-aligned PAGE_SIZE scratch buffer
 * @tp: result
 *
 * Remote address and port and the local port come from get_conn_param(), the
 * local address from get_host_param(ISCSI_HOST_PARAM_IPADDRESS) (iscsi_tcp
 * has one connection per host).  The four reads are not atomic against a
 * reconnect, so the local port is read again at the end: -EAGAIN means the
 * socket changed in between.
 *
 * Return: 0, -EAGAIN, or a negative errno (-ENOTCONN when there is no socket).
 */
static int iia_conn_tuple(struct iscsi_cls_conn *conn, struct Scsi_Host *shost,
			  struct iscsi_transport *t, char *scratch,
			  struct iia_tuple *tp)
{
	int len, ret, lfamily;
	u16 again;

	len = iia_conn_param(conn, ISCSI_PARAM_CONN_ADDRESS, scratch);
	if (len < 0)
		return len;
	ret = iia_parse_addr(scratch, len, &tp->family, &tp->raddr);
	if (ret)
		return ret;
	ret = iia_port_param(conn, ISCSI_PARAM_CONN_PORT, scratch, &tp->rport);
	if (ret)
		return ret;
	ret = iia_port_param(conn, ISCSI_PARAM_LOCAL_PORT, scratch, &tp->lport);
	if (ret)
		return ret;
	len = iia_host_param(t, shost, ISCSI_HOST_PARAM_IPADDRESS, scratch);
	if (len < 0)
		return len;
	ret = iia_parse_addr(scratch, len, &lfamily, &tp->laddr);
	if (ret)
		return ret;
	if (lfamily != tp->family)
		return -EAGAIN;
	ret = iia_port_param(conn, ISCSI_PARAM_LOCAL_PORT, scratch, &again);
	if (ret)
		return ret;
	return again == tp->lport ? 0 : -EAGAIN;
}

/* ------------------------------------------------------------------ */
/* Socket and netdev resolution                                       */
/* ------------------------------------------------------------------ */

static struct sock *iia_lookup_in_net(struct net *net,
				      const struct iia_tuple *tp, int dif)
{
	struct inet_hashinfo *hinfo = net->ipv4.tcp_death_row.hashinfo;

	if (tp->family == AF_INET)
		return __inet_lookup_established(net, hinfo, tp->raddr.v4,
						 htons(tp->rport), tp->laddr.v4,
						 tp->lport, dif, 0);
	return __inet6_lookup_established(net, hinfo, &tp->raddr.v6,
					  htons(tp->rport), &tp->laddr.v6,
					  tp->lport, dif, 0);
}

/**
 * iia_find_sock() - find the established TCP socket with a given 4-tuple
 * @tp: the tuple
 *
 * The socket was created by iscsid in whatever network namespace it runs in,
 * and the transport does not record that namespace, so every namespace is
 * searched.  A socket bound with SO_BINDTODEVICE only matches a lookup for
 * its device, so after an unbound lookup every device of the namespace is
 * tried.  All under RCU; the socket is returned referenced.
 *
 * Return: a full socket (release with sock_gen_put()), or NULL.
 */
static struct sock *iia_find_sock(const struct iia_tuple *tp)
{
	struct net_device *dev;
	struct sock *sk = NULL;
	struct net *net;

	rcu_read_lock();
	for_each_net_rcu(net) {
		sk = iia_lookup_in_net(net, tp, 0);
		if (sk)
			break;
		for_each_netdev_rcu(net, dev) {
			sk = iia_lookup_in_net(net, tp, dev->ifindex);
			if (sk)
				goto out;
		}
	}
out:
	rcu_read_unlock();
	if (sk && !sk_fullsock(sk)) {
		sock_gen_put(sk);
		sk = NULL;
	}
	return sk;
}

/**
 * iia_fill_from_ifindex() - copy name, MAC and PCI parent of a netdev
 * @net: namespace of @ifindex
 * @ifindex: the device
 * @info: result; @info->pdev gets a reference
 *
 * Under RCU the device found by index is still listed, so it has not been
 * device_del()ed yet and its parent still holds the reference it took in
 * device_add(); pci_dev_get() on it is therefore safe.  A rename may run
 * concurrently (it does not wait for RCU readers), so name and address are
 * read twice and retried while the two copies differ.
 *
 * Return: 0 or -ENODEV.
 */
static int iia_fill_from_ifindex(struct net *net, int ifindex,
				 struct iia_netdev_info *info)
{
	struct iia_netdev_info again;
	struct net_device *dev;
	struct device *parent;
	int tries;

	if (ifindex <= 0)
		return -ENODEV;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	if (!dev) {
		rcu_read_unlock();
		return -ENODEV;
	}
	for (tries = 0; tries < 4; tries++) {
		strscpy(info->name, dev->name, sizeof(info->name));
		info->addr_len = min_t(unsigned int, dev->addr_len,
				       MAX_ADDR_LEN);
		memcpy(info->addr, dev->dev_addr, info->addr_len);
		strscpy(again.name, dev->name, sizeof(again.name));
		memcpy(again.addr, dev->dev_addr, info->addr_len);
		if (!strcmp(info->name, again.name) &&
		    !memcmp(info->addr, again.addr, info->addr_len))
			break;
	}
	info->ifindex = ifindex;
	parent = dev->dev.parent;
	if (parent && dev_is_pci(parent))
		info->pdev = pci_dev_get(to_pci_dev(parent));
	rcu_read_unlock();
	return 0;
}

/* Output device of a fresh route lookup for the tuple. */
static int iia_route_ifindex(struct net *net, const struct iia_tuple *tp)
{
	struct dst_entry *dst;
	struct flowi6 fl6 = {};
	struct flowi4 fl4;
	struct rtable *rt;
	int ifindex = 0;

	if (tp->family == AF_INET) {
		rt = ip_route_output_ports(net, &fl4, NULL, tp->raddr.v4,
					   tp->laddr.v4, htons(tp->rport),
					   htons(tp->lport), IPPROTO_TCP, 0, 0);
		if (IS_ERR(rt))
			return 0;
		ifindex = rt->dst.dev->ifindex;
		ip_rt_put(rt);
		return ifindex;
	}

	fl6.flowi6_proto = IPPROTO_TCP;
	fl6.daddr = tp->raddr.v6;
	fl6.saddr = tp->laddr.v6;
	fl6.fl6_dport = htons(tp->rport);
	fl6.fl6_sport = htons(tp->lport);
	dst = ip6_route_output(net, NULL, &fl6);
	if (!dst->error && dst->dev)
		ifindex = dst->dev->ifindex;
	dst_release(dst);
	return ifindex;
}

/*
 * The device a socket sends on: its SO_BINDTODEVICE device, else the device
 * of its cached route, else (no cached route, or its device has gone) the
 * device of a fresh route lookup.
 */
static int iia_fill_from_sock(struct sock *sk, const struct iia_tuple *tp,
			      struct iia_netdev_info *info)
{
	struct net *net = sock_net(sk);
	struct dst_entry *dst;
	int ifindex;

	ifindex = READ_ONCE(sk->sk_bound_dev_if);
	if (ifindex)
		return iia_fill_from_ifindex(net, ifindex, info);

	dst = sk_dst_get(sk);
	if (dst) {
		ifindex = dst->dev ? dst->dev->ifindex : 0;
		dst_release(dst);
		if (!iia_fill_from_ifindex(net, ifindex, info))
			return 0;
	}
	return iia_fill_from_ifindex(net, iia_route_ifindex(net, tp), info);
}

/* True for transports whose connections have no kernel TCP socket. */
static bool iia_no_socket(const struct iscsi_transport *t)
{
	return !t || (t->caps & CAP_DATA_PATH_OFFLOAD) || t->ep_connect ||
	       READ_ONCE(force_host_fallback);
}

/* Nearest PCI ancestor of a host (an offload host's PCI function). */
struct pci_dev *iia_host_pci(struct Scsi_Host *shost)
{
	struct device *dev;

	for (dev = shost->shost_gendev.parent; dev; dev = dev->parent)
		if (dev_is_pci(dev))
			return pci_dev_get(to_pci_dev(dev));
	return NULL;
}

/**
 * iia_fill_from_host() - offload fallback: what the host driver reports
 * @t: the host's transport
 * @shost: the host, kept registered by the caller
 * @scratch: page-aligned PAGE_SIZE scratch buffer
 * @info: result
 *
 * Offload HBAs have no kernel socket; their LLD reports the port's netdev
 * name and MAC through get_host_param(), and the PCI function is the host's
 * nearest PCI ancestor.
 *
 * Return: 0 (fields the driver does not report stay empty).
 */
static int iia_fill_from_host(struct iscsi_transport *t,
			      struct Scsi_Host *shost, char *scratch,
			      struct iia_netdev_info *info)
{
	int len;

	len = iia_host_param(t, shost, ISCSI_HOST_PARAM_NETDEV_NAME, scratch);
	if (len > 0)
		strscpy(info->name, scratch, sizeof(info->name));
	len = iia_host_param(t, shost, ISCSI_HOST_PARAM_HWADDRESS, scratch);
	if (len > 0)
		info->addr_len = iia_parse_mac(scratch, info->addr);
	info->pdev = iia_host_pci(shost);
	return 0;
}

/**
 * iia_resolve_conn() - the netdev a connection uses
 * @conn: the connection; the caller holds a reference to conn->dev and
 *	guarantees its host is still registered (see docs/kmod.md)
 * @scratch: page-aligned PAGE_SIZE scratch buffer
 * @info: result, release with iia_info_release()
 *
 * Return: 0, or a negative errno when there is nothing to report.
 */
int iia_resolve_conn(struct iscsi_cls_conn *conn, char *scratch,
		     struct iia_netdev_info *info)
{
	struct iscsi_cls_session *session = iscsi_dev_to_session(conn->dev.parent);
	struct Scsi_Host *shost = iscsi_session_to_shost(session);
	struct iscsi_transport *t = conn->transport;
	struct iia_tuple tp = {};
	struct sock *sk;
	int ret, tries;

	if (iia_no_socket(t))
		return iia_fill_from_host(t, shost, scratch, info);

	for (tries = 0; tries < 3; tries++) {
		ret = iia_conn_tuple(conn, shost, t, scratch, &tp);
		if (ret != -EAGAIN)
			break;
	}
	if (ret)
		return ret;

	sk = iia_find_sock(&tp);
	if (!sk)
		return -ENOTCONN;
	ret = iia_fill_from_sock(sk, &tp, info);
	sock_gen_put(sk);
	return ret;
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

/*
 * The LLD transport of an iSCSI host.  The template is first confirmed to
 * be an iscsi one (its host container uses the iscsi_host class); only then
 * is the verified private layout used.
 */
struct iscsi_transport *iia_host_transport(struct Scsi_Host *shost)
{
	struct scsi_transport_template *tmpl = shost->transportt;

	if (!tmpl || tmpl->host_attrs.ac.class != iia_host_class)
		return NULL;
	return container_of(tmpl, struct iia_iscsi_internal, t)->iscsi_transport;
}

/* class_find_device() match: connection class device under @data's host. */
static int iia_conn_on_host(struct device *cdev, const void *data)
{
	const struct Scsi_Host *shost = data;
	struct device *conn_dev = cdev->parent;

	return conn_dev && conn_dev->parent &&
	       conn_dev->parent->parent == &shost->shost_gendev;
}

/**
 * iia_resolve_host() - the port behind an iscsi_host
 * @cdev: the iscsi_host class device (kept registered by sysfs during show)
 * @scratch: page-aligned PAGE_SIZE scratch buffer
 * @info: result, release with iia_info_release()
 *
 * Offload hosts report through their driver.  A software host (iscsi_tcp:
 * one session and one connection per host) is the NIC its connection uses;
 * class_find_device() returns that connection's class device referenced.
 *
 * Return: 0, or a negative errno when there is nothing to report.
 */
int iia_resolve_host(struct device *cdev, char *scratch,
		     struct iia_netdev_info *info)
{
	struct Scsi_Host *shost = transport_class_to_shost(cdev);
	struct iscsi_transport *t = iia_host_transport(shost);
	struct device *conn_cdev;
	int ret;

	if (!t)
		return -ENODEV;
	if (iia_no_socket(t))
		return iia_fill_from_host(t, shost, scratch, info);

	conn_cdev = class_find_device(iia_conn_class, NULL, shost,
				      iia_conn_on_host);
	if (!conn_cdev)
		return -ENOTCONN;
	ret = iia_resolve_conn_cdev(conn_cdev, scratch, info);
	put_device(conn_cdev);
	return ret;
}

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

/* Serial from the VPD "SN" keyword, trailing blanks removed. */
static int iia_vpd_serial(struct pci_dev *pdev, char *out, size_t size)
{
	unsigned int vsize, len;
	int start, ret = 0;
	u8 *vpd;

	vpd = pci_vpd_alloc(pdev, &vsize);
	if (IS_ERR(vpd))
		return 0;
	start = pci_vpd_find_ro_info_keyword(vpd, vsize,
					     PCI_VPD_RO_KEYWORD_SERIALNO, &len);
	if (start >= 0) {
		while (len && (vpd[start + len - 1] == ' ' ||
			       !vpd[start + len - 1]))
			len--;
		if (len)
			ret = scnprintf(out, size, "%.*s", len, vpd + start);
	}
	kfree(vpd);
	return ret;
}

/**
 * iia_serial() - serial number of a PCI function
 * @pdev: the function
 * @out: result, NUL-terminated, "" when there is none
 * @size: size of @out
 *
 * The Device Serial Number as lspci prints it, else the VPD "SN" keyword.
 *
 * Return: length written.
 */
int iia_serial(struct pci_dev *pdev, char *out, size_t size)
{
	u8 dsn[8];
	u64 v;
	int i;

	out[0] = '\0';
	v = pci_get_dsn(pdev);
	if (!v)
		return iia_vpd_serial(pdev, out, size);
	/* Same byte order as lspci's "Device Serial Number". */
	for (i = 0; i < 8; i++)
		dsn[i] = v >> (56 - 8 * i);
	return scnprintf(out, size, "%8phD", dsn);
}

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
static DEVICE_ATTR_RO(hba_serial);

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
 * devices.  So each class device gets the group exactly once, after it is
 * registered, and loses it exactly once, before it is deleted or before
 * this module goes away, whichever comes first.
 */
static int iia_add(struct device *cdev, const struct attribute_group *grp)
{
	int ret = sysfs_create_group(&cdev->kobj, grp);

	if (ret) {
		dev_warn(cdev, "%s: cannot add attributes: %d\n",
			 KBUILD_MODNAME, ret);
		return ret;
	}
	kobject_uevent(&cdev->kobj, KOBJ_CHANGE);
	return 0;
}

static int iia_conn_add_dev(struct device *cdev, struct class_interface *intf)
{
	int ret = iia_add(cdev, &iia_conn_group);

	if (!ret)
		iia_nl_conn_add(cdev);
	return ret;
}

static void iia_conn_remove_dev(struct device *cdev,
				struct class_interface *intf)
{
	iia_nl_conn_remove(cdev);
	sysfs_remove_group(&cdev->kobj, &iia_conn_group);
}

static int iia_host_add_dev(struct device *cdev, struct class_interface *intf)
{
	int ret = iia_add(cdev, &iia_host_group);

	if (!ret)
		iia_nl_host_add(cdev);
	return ret;
}

static void iia_host_remove_dev(struct device *cdev,
				struct class_interface *intf)
{
	iia_nl_host_remove(cdev);
	sysfs_remove_group(&cdev->kobj, &iia_host_group);
}

static struct class_interface iia_conn_intf = {
	.add_dev	= iia_conn_add_dev,
	.remove_dev	= iia_conn_remove_dev,
};

static struct class_interface iia_host_intf = {
	.add_dev	= iia_host_add_dev,
	.remove_dev	= iia_host_remove_dev,
};

static int __init iscsi_iface_attrs_init(void)
{
	int ret;

	ret = iia_probe_classes();
	if (ret)
		return ret;

	ret = iia_nl_init();
	if (ret)
		return ret;

	iia_conn_intf.class = iia_conn_class;
	ret = class_interface_register(&iia_conn_intf);
	if (ret) {
		pr_err("cannot watch iscsi_connection: %d\n", ret);
		goto err_nl;
	}

	iia_host_intf.class = iia_host_class;
	ret = class_interface_register(&iia_host_intf);
	if (ret) {
		pr_err("cannot watch iscsi_host: %d\n", ret);
		goto err_conn;
	}

	ret = iia_nl_session_intf_register();
	if (ret) {
		pr_err("cannot watch iscsi_session: %d\n", ret);
		goto err_host;
	}

	iia_nl_start();
	pr_info("loaded\n");
	return 0;

err_host:
	class_interface_unregister(&iia_host_intf);
err_conn:
	class_interface_unregister(&iia_conn_intf);
err_nl:
	iia_nl_stop();
	iia_nl_exit();
	return ret;
}

static void __exit iscsi_iface_attrs_exit(void)
{
	iia_nl_stop();
	iia_nl_session_intf_unregister();
	class_interface_unregister(&iia_host_intf);
	class_interface_unregister(&iia_conn_intf);
	iia_nl_exit();
	pr_info("unloaded\n");
}

module_init(iscsi_iface_attrs_init);
module_exit(iscsi_iface_attrs_exit);

MODULE_DESCRIPTION("iSCSI connection iface and host identity attributes");
MODULE_AUTHOR("iscsictl developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.2.0");
