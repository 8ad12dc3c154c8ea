// SPDX-License-Identifier: GPL-2.0
/*
 * lab_warn - test-only module for the lab harness self-test: loading it triggers a
 * kernel WARN, which the e2e runner must catch in dmesg. It then refuses to stay loaded.
 */
#include <linux/module.h>
#include <linux/init.h>

static int __init lab_warn_init(void)
{
	WARN(1, "lab_warn: deliberate warning for the harness self-test\n");
	return -EAGAIN;
}
module_init(lab_warn_init);

MODULE_DESCRIPTION("iscsictl lab harness self-test: trigger a WARN");
MODULE_LICENSE("GPL");
