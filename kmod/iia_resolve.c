// SPDX-License-Identifier: GPL-2.0
/*
 * iscsi_iface_attrs: from an iSCSI connection to the netdev its socket uses,
 * and from an iSCSI host to the port and PCI function behind it.  Public
 * interfaces only: the transport's callbacks, the TCP established hash,
 * the routing tables, the netdev and PCI cores.  See docs/kmod.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/device.h>
#include <linux/inet.h>
#include <linux/inetdevice.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/transport_class.h>
#include <net/addrconf.h>
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

void iia_info_release(struct iia_netdev_info *info)
{
	if (info->pdev) {
		pci_dev_put(info->pdev);
		iia_stat_put(IIA_ST_PCI);
	}
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

static struct sock *iia_lookup(struct net *net, const struct iia_tuple *tp,
			       int dif)
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

/* The device holding the tuple's local address, 0 if none; under RCU. */
static int iia_laddr_ifindex(struct net *net, const struct iia_tuple *tp)
{
	struct net_device *dev;

	if (tp->family == AF_INET)
		dev = __ip_dev_find(net, tp->laddr.v4, false);
	else
		dev = ipv6_dev_find(net, &tp->laddr.v6, NULL);
	return dev ? dev->ifindex : 0;
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

/**
 * iia_find_sock() - find the established TCP socket with a given 4-tuple
 * @tp: the tuple
 *
 * Only the initial network namespace is searched: scsi_transport_iscsi's
 * control socket (NETLINK_ISCSI) exists there only, so the iscsid that
 * created and handed over every socket talks to the kernel from there, and
 * a socket with the same tuple in another namespace belongs to someone
 * else.  A socket bound with SO_BINDTODEVICE only matches a lookup for its
 * device: after the unbound lookup, the device holding the local address
 * and the device of the route for the tuple are tried (iscsid binds to
 * its iface's device and its source address is chosen there).  At most
 * three hash lookups, no walk over namespaces or devices.
 *
 * Return: a full socket, referenced (release with iia_sock_put()), or NULL.
 */
static struct sock *iia_find_sock(const struct iia_tuple *tp)
{
	struct net *net = &init_net;
	struct sock *sk;
	int dif;

	rcu_read_lock();
	sk = iia_lookup(net, tp, 0);
	if (!sk) {
		dif = iia_laddr_ifindex(net, tp);
		if (dif)
			sk = iia_lookup(net, tp, dif);
	}
	rcu_read_unlock();
	if (!sk) {
		dif = iia_route_ifindex(net, tp);
		if (dif) {
			rcu_read_lock();
			sk = iia_lookup(net, tp, dif);
			rcu_read_unlock();
		}
	}
	if (!sk)
		return NULL;
	iia_stat_get(IIA_ST_SOCK);
	if (!sk_fullsock(sk)) {
		sock_gen_put(sk);
		iia_stat_put(IIA_ST_SOCK);
		return NULL;
	}
	return sk;
}

static void iia_sock_put(struct sock *sk)
{
	sock_gen_put(sk);
	iia_stat_put(IIA_ST_SOCK);
}

static struct pci_dev *iia_pci_get(struct pci_dev *pdev)
{
	if (pdev) {
		pci_dev_get(pdev);
		iia_stat_get(IIA_ST_PCI);
	}
	return pdev;
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
		info->pdev = iia_pci_get(to_pci_dev(parent));
	rcu_read_unlock();
	return 0;
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
bool iia_no_socket(const struct iscsi_transport *t)
{
	return !t || (t->caps & CAP_DATA_PATH_OFFLOAD) || t->ep_connect ||
	       READ_ONCE(iia_force_host_fallback);
}

/* Nearest PCI ancestor of a host (an offload host's PCI function). */
struct pci_dev *iia_host_pci(struct Scsi_Host *shost)
{
	struct device *dev;

	for (dev = shost->shost_gendev.parent; dev; dev = dev->parent)
		if (dev_is_pci(dev))
			return iia_pci_get(to_pci_dev(dev));
	return NULL;
}

void iia_host_pci_put(struct pci_dev *pdev)
{
	if (pdev) {
		pci_dev_put(pdev);
		iia_stat_put(IIA_ST_PCI);
	}
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
int iia_fill_from_host(struct iscsi_transport *t, struct Scsi_Host *shost,
		       char *scratch, struct iia_netdev_info *info)
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
 * @conn: the connection; the caller guarantees that its class device stays
 *	registered (a sysfs show() of it, or a pinned tracking object), so
 *	its session, host and transport are alive (see docs/kmod.md)
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
	iia_sock_put(sk);
	return ret;
}

/* class_find_device() match: a session or connection class device on a host. */
static int iia_on_host(struct device *cdev, const void *data)
{
	const struct Scsi_Host *shost = data;
	struct device *dev = cdev->parent;

	/* session dev -> shost_gendev; connection dev -> session dev -> it */
	while (dev && dev != &shost->shost_gendev && dev->parent &&
	       !scsi_is_host_device(dev))
		dev = dev->parent;
	return dev == &shost->shost_gendev;
}

static struct device *iia_find_on_host(struct class *cls,
				       struct Scsi_Host *shost)
{
	struct device *cdev = class_find_device(cls, NULL, shost, iia_on_host);

	if (cdev)
		iia_stat_get(IIA_ST_DEV);
	return cdev;
}

static void iia_put_cdev(struct device *cdev)
{
	put_device(cdev);
	iia_stat_put(IIA_ST_DEV);
}

/**
 * iia_resolve_host() - the port behind an iscsi_host
 * @cdev: the iscsi_host class device (kept registered by sysfs during show)
 * @scratch: page-aligned PAGE_SIZE scratch buffer
 * @info: result, release with iia_info_release()
 *
 * The host's transport is that of a session on it (class_find_device()
 * returns the session's class device referenced; the host is registered,
 * so its driver, which owns the transport, is loaded).  Offload hosts
 * report through their driver.  A software host (iscsi_tcp: one session
 * and one connection per host) is the NIC its connection uses.  A host
 * without a session reports nothing.
 *
 * Return: 0, or a negative errno when there is nothing to report.
 */
int iia_resolve_host(struct device *cdev, char *scratch,
		     struct iia_netdev_info *info)
{
	struct Scsi_Host *shost = transport_class_to_shost(cdev);
	struct iscsi_transport *t;
	struct device *found;
	int ret;

	found = iia_find_on_host(iia_session_class, shost);
	if (!found)
		return -ENODEV;
	t = iscsi_dev_to_session(found->parent)->transport;
	iia_put_cdev(found);
	if (iia_no_socket(t))
		return iia_fill_from_host(t, shost, scratch, info);

	found = iia_find_on_host(iia_conn_class, shost);
	if (!found)
		return -ENOTCONN;
	ret = iia_resolve_conn(iscsi_dev_to_conn(found->parent), scratch, info);
	iia_put_cdev(found);
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
	int i, len;

	out[0] = '\0';
	v = pci_get_dsn(pdev);
	if (!v) {
		len = iia_vpd_sn(pdev, out, size - 1);
		out[len] = '\0';
		return len;
	}
	/* Same byte order as lspci's "Device Serial Number". */
	for (i = 0; i < 8; i++)
		dsn[i] = v >> (56 - 8 * i);
	return scnprintf(out, size, "%8phD", dsn);
}
