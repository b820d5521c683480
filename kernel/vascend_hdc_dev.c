// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/hisi_hdc (include/uapi/vascend_hdc.h): one HDC session per open
 * file. VASCEND_IOCTL_HDC_CONNECT opens it to a service of a card; then
 * each write() sends one message and each read() returns one whole message
 * (EMSGSIZE, message kept, when the buffer is too small). Both block, with
 * the file's timeouts, or fail with EAGAIN under O_NONBLOCK; poll() says
 * which would not block. read_iter/write_iter honour IOCB_NOWAIT, so
 * io_uring's IORING_OP_READ/WRITE (and READV/WRITEV) work without a worker
 * thread: they retry when poll() says so. close() ends the session on the
 * card. The transport underneath is vascend_hdc.c.
 */

#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include <uapi/vascend_hdc.h>
#include <uapi/vascend_hdc_hw.h>

#include "vascend_hdc.h"
#include "vascend_hdc_check.h"
#include "vascend_hdc_dev.h"

/**
 * struct vascend_hdc_file - an open /dev/hisi_hdc
 * @lock: serialises CONNECT; protects @refused_reason
 * @s: the session, NULL until a CONNECT succeeds; set once, with release
 *	semantics, and never changed afterwards
 * @recv_ms: read timeout, 0 = none (WRITE_ONCE/READ_ONCE)
 * @send_ms: write timeout, 0 = none (WRITE_ONCE/READ_ONCE)
 * @refused_reason: the CLOSE reason of the last refused CONNECT
 */
struct vascend_hdc_file {
	struct mutex lock; /* Protects CONNECT, refused_reason */
	struct vascend_hdc_session *s;
	u32 recv_ms;
	u32 send_ms;
	u32 refused_reason;
};

static struct miscdevice vascend_hdc_misc;

#define hdc_dbg(fmt, ...) \
	dev_dbg_ratelimited(vascend_hdc_misc.this_device, fmt, ##__VA_ARGS__)

static struct vascend_hdc_session *vascend_hdc_file_session(struct file *file)
{
	struct vascend_hdc_file *f = file->private_data;

	/* Pairs with the smp_store_release() of a successful CONNECT. */
	return smp_load_acquire(&f->s);
}

static long vascend_hdc_jiffies(u32 ms)
{
	return ms ? msecs_to_jiffies(ms) : MAX_SCHEDULE_TIMEOUT;
}

/*
 * A wait that ended early: the timeout, or a signal. -ERESTARTSYS, not
 * -EINTR: "signal pending" also means task work to run (io_uring queues
 * some), after which the call must go on transparently; a real signal
 * still turns it into EINTR unless its handler has SA_RESTART.
 */
static int vascend_hdc_wait_err(long left)
{
	return left ? -ERESTARTSYS : -ETIMEDOUT;
}

static int vascend_hdc_open(struct inode *inode, struct file *file)
{
	struct vascend_hdc_file *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	/* read_iter/write_iter handle IOCB_NOWAIT (io_uring's first try). */
	file->f_mode |= FMODE_NOWAIT;
	return stream_open(inode, file);
}

static int vascend_hdc_release(struct inode *inode, struct file *file)
{
	struct vascend_hdc_file *f = file->private_data;

	if (f->s) {
		vascend_hdc_close(f->s);
		vascend_hdc_session_put(f->s);
	}
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static bool vascend_hdc_rx_ready(struct vascend_hdc_session *s)
{
	return READ_ONCE(s->rx_count) ||
	       READ_ONCE(s->state) == VASCEND_HDC_S_CLOSED;
}

static bool vascend_hdc_tx_ready(struct vascend_hdc_session *s)
{
	return READ_ONCE(s->cr.tx) ||
	       READ_ONCE(s->state) != VASCEND_HDC_S_OPEN;
}

static bool vascend_hdc_nonblock(struct kiocb *iocb)
{
	return (iocb->ki_filp->f_flags & O_NONBLOCK) ||
	       (iocb->ki_flags & IOCB_NOWAIT);
}

/* Take @lock for a file operation: at once, or interruptibly. */
static int vascend_hdc_lock(struct mutex *lock, bool nonblock)
{
	if (nonblock)
		return mutex_trylock(lock) ? 0 : -EAGAIN;
	return mutex_lock_interruptible(lock) ? -ERESTARTSYS : 0;
}

/*
 * read(): one whole message. 0 once the session is closed and nothing is
 * left; EMSGSIZE (the message stays) when it does not fit.
 */
static ssize_t vascend_hdc_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct vascend_hdc_file *f = iocb->ki_filp->private_data;
	struct vascend_hdc_session *s = vascend_hdc_file_session(iocb->ki_filp);
	bool nonblock = vascend_hdc_nonblock(iocb);
	struct vascend_hdc_msg *msg;
	enum vascend_hdc_state state;
	long timeout, left;
	ssize_t ret;

	if (!s)
		return -ENOTCONN;
	ret = vascend_hdc_lock(&s->rx_lock, nonblock);
	if (ret)
		return ret;

	timeout = vascend_hdc_jiffies(READ_ONCE(f->recv_ms));
	for (;;) {
		spin_lock(&s->lock);
		msg = list_first_entry_or_null(&s->rxq, struct vascend_hdc_msg,
					       node);
		state = s->state;
		spin_unlock(&s->lock);
		if (msg)
			break;
		if (state == VASCEND_HDC_S_CLOSED) {
			ret = 0;
			goto out_unlock;
		}
		if (nonblock) {
			ret = -EAGAIN;
			goto out_unlock;
		}
		left = wait_event_interruptible_timeout(s->wq,
							vascend_hdc_rx_ready(s),
							timeout);
		if (left <= 0) {
			ret = vascend_hdc_wait_err(left);
			goto out_unlock;
		}
		if (timeout != MAX_SCHEDULE_TIMEOUT)
			timeout = left;
	}

	/* Only this reader takes messages off the queue: @msg stays ours. */
	if (iov_iter_count(to) < msg->len) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	if (copy_to_iter(msg->data, msg->len, to) != msg->len) {
		ret = -EFAULT;
		goto out_unlock;
	}
	ret = msg->len;
	vascend_hdc_consumed(s, msg);
out_unlock:
	mutex_unlock(&s->rx_lock);
	return ret;
}

/* Wait for a flow-control credit and spend it. */
static int vascend_hdc_take_credit(struct vascend_hdc_session *s,
				   bool nonblock, long timeout)
{
	enum vascend_hdc_state state;
	bool got;
	long left;

	for (;;) {
		spin_lock(&s->lock);
		state = s->state;
		got = state == VASCEND_HDC_S_OPEN &&
		      vascend_hdc_credits_spend(&s->cr);
		spin_unlock(&s->lock);
		if (got)
			return 0;
		if (state != VASCEND_HDC_S_OPEN)
			return -EPIPE;
		if (nonblock)
			return -EAGAIN;
		left = wait_event_interruptible_timeout(s->wq,
							vascend_hdc_tx_ready(s),
							timeout);
		if (left <= 0)
			return vascend_hdc_wait_err(left);
		if (timeout != MAX_SCHEDULE_TIMEOUT)
			timeout = left;
	}
}

static void vascend_hdc_refund(struct vascend_hdc_session *s)
{
	spin_lock(&s->lock);
	vascend_hdc_credits_refund(&s->cr);
	spin_unlock(&s->lock);
}

/*
 * write(): one message of all the bytes given. Waits for a credit (the
 * timeout and O_NONBLOCK apply to this wait), then puts the message into
 * the ring whole.
 */
static ssize_t vascend_hdc_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct vascend_hdc_file *f = iocb->ki_filp->private_data;
	struct vascend_hdc_session *s = vascend_hdc_file_session(iocb->ki_filp);
	bool nonblock = vascend_hdc_nonblock(iocb);
	size_t len = iov_iter_count(from);
	const char *why = NULL;
	void *buf;
	ssize_t ret;

	if (!s)
		return -ENOTCONN;
	ret = vascend_hdc_check_msg_len(len, &why);
	if (ret) {
		hdc_dbg("write of %zu bytes: %s\n", len, why);
		return ret;
	}
	ret = vascend_hdc_lock(&s->tx_lock, nonblock);
	if (ret)
		return ret;

	ret = vascend_hdc_take_credit(s, nonblock,
				      vascend_hdc_jiffies(READ_ONCE(f->send_ms)));
	if (ret)
		goto out_unlock;

	buf = kvmalloc(len, GFP_KERNEL);
	if (!buf) {
		vascend_hdc_refund(s);
		ret = -ENOMEM;
		goto out_unlock;
	}
	if (!copy_from_iter_full(buf, len, from)) {
		vascend_hdc_refund(s);
		ret = -EFAULT;
		goto out_free;
	}
	ret = vascend_hdc_send(s, buf, len);
	if (!ret)
		ret = len;
out_free:
	kvfree(buf);
out_unlock:
	mutex_unlock(&s->tx_lock);
	return ret;
}

static __poll_t vascend_hdc_poll(struct file *file, poll_table *wait)
{
	struct vascend_hdc_session *s = vascend_hdc_file_session(file);
	__poll_t mask = 0;

	/* Not connected: neither reading nor writing can work. */
	if (!s)
		return EPOLLERR;
	poll_wait(file, &s->wq, wait);

	spin_lock(&s->lock);
	if (s->rx_count)
		mask |= EPOLLIN | EPOLLRDNORM;
	if (s->state == VASCEND_HDC_S_OPEN && s->cr.tx)
		mask |= EPOLLOUT | EPOLLWRNORM;
	/* read() returns what is left, then 0: readable, and hung up. */
	if (s->state == VASCEND_HDC_S_CLOSED)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP | EPOLLHUP;
	spin_unlock(&s->lock);
	return mask;
}

static long vascend_hdc_ioctl_connect(struct vascend_hdc_file *f,
				      void __user *uarg)
{
	struct vascend_hdc_session *s;
	struct vascend_hdc_connect c;
	const char *why = NULL;
	u32 reason = 0;
	int ret;

	if (copy_from_user(&c, uarg, sizeof(c)))
		return -EFAULT;
	ret = vascend_hdc_check_connect(&c, &why);
	if (ret) {
		hdc_dbg("HDC_CONNECT: %s\n", why);
		return ret;
	}

	if (mutex_lock_interruptible(&f->lock))
		return -ERESTARTSYS;
	if (f->s) {
		ret = -EISCONN;
		goto out_unlock;
	}
	s = vascend_hdc_connect(c.dev_id, c.service,
				vascend_hdc_connect_timeout(&c), &reason);
	if (IS_ERR(s)) {
		ret = PTR_ERR(s);
		f->refused_reason = reason;
		hdc_dbg("HDC_CONNECT to card %u service %u: %d (reason %u)\n",
			c.dev_id, c.service, ret, reason);
		goto out_unlock;
	}
	/* Readers of f->s without the lock see a whole session. */
	smp_store_release(&f->s, s);
out_unlock:
	mutex_unlock(&f->lock);
	return ret;
}

static long vascend_hdc_ioctl_timeout(struct vascend_hdc_file *f,
				      void __user *uarg)
{
	struct vascend_hdc_timeout t;
	const char *why = NULL;
	int ret;

	if (copy_from_user(&t, uarg, sizeof(t)))
		return -EFAULT;
	ret = vascend_hdc_check_timeout(&t, &why);
	if (ret) {
		hdc_dbg("HDC_SET_TIMEOUT: %s\n", why);
		return ret;
	}
	WRITE_ONCE(f->recv_ms, t.recv_ms);
	WRITE_ONCE(f->send_ms, t.send_ms);
	return 0;
}

static long vascend_hdc_ioctl_status(struct file *file, void __user *uarg)
{
	struct vascend_hdc_session *s = vascend_hdc_file_session(file);
	struct vascend_hdc_file *f = file->private_data;
	struct vascend_hdc_session_status st = {};
	struct vascend_hdc_msg *msg;

	if (!s) {
		st.state = VASCEND_HDC_STATE_IDLE;
		mutex_lock(&f->lock);
		st.close_reason = f->refused_reason;
		mutex_unlock(&f->lock);
	} else {
		spin_lock(&s->lock);
		if (s->state == VASCEND_HDC_S_OPEN) {
			st.state = VASCEND_HDC_STATE_OPEN;
			st.credits = s->cr.tx;
		} else {
			st.state = VASCEND_HDC_STATE_CLOSED;
			st.close_reason = s->close_reason;
		}
		st.queued = s->rx_count;
		msg = list_first_entry_or_null(&s->rxq, struct vascend_hdc_msg,
					       node);
		st.next_len = msg ? msg->len : 0;
		spin_unlock(&s->lock);
	}
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long vascend_hdc_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	struct vascend_hdc_file *f = file->private_data;
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VASCEND_IOCTL_HDC_CONNECT:
		return vascend_hdc_ioctl_connect(f, uarg);
	case VASCEND_IOCTL_HDC_SET_TIMEOUT:
		return vascend_hdc_ioctl_timeout(f, uarg);
	case VASCEND_IOCTL_HDC_STATUS:
		return vascend_hdc_ioctl_status(file, uarg);
	default:
		hdc_dbg("unknown ioctl 0x%08x\n", cmd);
		return -ENOTTY;
	}
}

static const struct file_operations vascend_hdc_fops = {
	.owner = THIS_MODULE,
	.open = vascend_hdc_open,
	.release = vascend_hdc_release,
	.read_iter = vascend_hdc_read_iter,
	.write_iter = vascend_hdc_write_iter,
	.poll = vascend_hdc_poll,
	.unlocked_ioctl = vascend_hdc_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice vascend_hdc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VASCEND_HDC_DEV_NAME,
	.fops = &vascend_hdc_fops,
};

/**
 * vascend_hdc_dev_init() - create /dev/hisi_hdc (module init)
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_hdc_dev_init(void)
{
	int ret = misc_register(&vascend_hdc_misc);

	if (ret)
		pr_err("vascend: cannot create /dev/%s: %pe\n",
		       VASCEND_HDC_DEV_NAME, ERR_PTR(ret));
	return ret;
}

/**
 * vascend_hdc_dev_fini() - remove /dev/hisi_hdc (module exit; no file is
 *	open then, the module's reference count saw to it)
 */
void vascend_hdc_dev_fini(void)
{
	misc_deregister(&vascend_hdc_misc);
}
