#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the seed inputs of the device-core fuzz targets (seeds/<target>/).

Each seed is a small program in its target's input format (see the comment
and the step switch of tests/fuzz/fuzz_<target>.c) that gets somewhere deep:
a MEMCPY through a valid mapping, a TestVectorAdd launch, admin commands,
an HDC CONNECT and messages, page tables with every kind of leaf. The
fuzzers start from them and `make regress` replays them.

    python3 tests/fuzz/mkseeds.py        # rewrites tests/fuzz/seeds/{regs,sqe,mmu,hdc}
"""
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GUEST_BASE = 0x40000000


def u8(v):
    return struct.pack('<B', v & 0xff)


def u16(v):
    return struct.pack('<H', v & 0xffff)


def u32(v):
    return struct.pack('<I', v & 0xffffffff)


def u64(v):
    return struct.pack('<Q', v & 0xffffffffffffffff)


def sqe(opcode, task=0, flags=0, words=b''):
    """A 64-byte SQE: opcode, flags, rsvd0, task_id, then argument bytes."""
    body = u8(opcode) + u8(flags) + u16(0) + u32(task) + words
    return body + bytes(64 - len(body))


# ---- fuzz_regs ----

REGS = [0x000, 0x004, 0x008, 0x00c, 0x010, 0x014, 0x018, 0x01c, 0x020,
        0x024, 0x028, 0x02c, 0x040, 0x044, 0x048, 0x04c, 0x050, 0x054,
        0x080, 0x084, 0x088, 0x08c, 0x090, 0x094, 0x098, 0x0a0, 0x0a4,
        0x0a8, 0x0b0, 0x100, 0x104, 0x108, 0x10c, 0x110, 0x114, 0x200,
        0x21c, 0x300, 0x304, 0x308, 0x30c, 0x310, 0x314, 0x318, 0x31c]


class Regs:
    def __init__(self, aicores=2):
        self.b = u8(aicores - 1)

    def wr(self, off, val):
        self.b += u8(0) + u8(REGS.index(off)) + u32(val)

    def wr_addr(self, which, off, page=True):
        """which: 0 FW_ADDR, 1 DMA_HOST, 2 AQ_SQ_BASE, 3 AQ_CQ_BASE."""
        self.b += u8(1) + u8(which | (0x80 if page else 0)) + u32(off)

    def rd(self, off):
        self.b += u8(2) + u8(REGS.index(off))

    def settle(self):
        self.b += u8(5)

    def jobs(self, n):
        self.b += u8(4) + u8(n - 1)

    def clock(self, ns):
        self.b += u8(6) + u32(ns)

    def fw_standard(self, off8):
        self.b += u8(8) + u8(0) + u16(off8)

    def sqe(self, qid, s, ring=True):
        self.b += u8(10 if ring else 9) + u8(qid) + s

    def reap(self, qid):
        self.b += u8(11) + u8(qid)

    def hdc_slot(self, slot):
        self.b += u8(14) + u8(len(slot) - 32) + slot

    def hdc_drain(self):
        self.b += u8(15)

    def dma(self, host_off, dev, length, d2h):
        self.wr_addr(1, host_off, page=False)
        self.wr(0x308, dev)
        self.wr(0x30c, 0)
        self.wr(0x310, length)
        self.wr(0x314, 3 if d2h else 1)


def hdc_hdr(session, typ, flags=0, length=0, total=0, arg=0, credits=0):
    return (u32(session) + u16(typ) + u16(flags) + u32(length) + u32(total) +
            u32(arg) + u32(credits) + u64(0))


def regs_seeds():
    seeds = {}
    # Boot, admin queue at 0x10000/0x11000 (depth 4), IDENTIFY, context 1,
    # IO queue 1 on it, a NOP; HDC set up and an echo CONNECT.
    r = Regs()
    r.fw_standard(0)
    r.settle()
    r.wr_addr(2, 0x10000)
    r.wr_addr(3, 0x11000)
    r.wr(0x090, 4)
    r.wr(0x094, 1)
    r.sqe(0, sqe(0x80, 1, words=u64(GUEST_BASE + 0x12000) + u32(4096)))
    r.settle()
    r.reap(0)
    r.sqe(0, sqe(0x82, 2, words=u32(1) + u32(0) + u64(GUEST_BASE + 0x20000)))
    r.settle()
    r.reap(0)
    r.sqe(0, sqe(0x84, 3, words=u16(1) + u16(2) + u32(1) +
                 u64(GUEST_BASE + 0x14000) + u64(GUEST_BASE + 0x15000) +
                 u32(8)))
    r.settle()
    r.reap(0)
    r.sqe(1, sqe(0x00, 4))
    r.settle()
    r.reap(1)
    r.sqe(0, sqe(0x8c, 5, words=u64(GUEST_BASE + 0x30000) +
                 u64(GUEST_BASE + 0x34000) + u64(GUEST_BASE + 0x38000) +
                 u32(16) + u32(1024) + u16(3)))
    r.settle()
    r.reap(0)
    r.hdc_slot(hdc_hdr(1, 1, arg=1, credits=4))
    r.settle()
    r.hdc_slot(hdc_hdr(1, 3, flags=3, length=5, total=5) + b'hello')
    r.settle()
    r.hdc_drain()
    r.settle()
    seeds['boot-admin-io-hdc'] = r.b
    # DMA channel 0 both ways, fault injection, RESET.
    r = Regs(aicores=1)
    r.fw_standard(0)
    r.settle()
    r.dma(0x1000, 0x2000, 4096, False)
    r.settle()
    r.dma(0x3000, 0x2000, 4096, True)
    r.settle()
    r.rd(0x318)
    r.wr(0x0b0, 3)
    r.settle()
    r.wr(0x0a0, 1)
    r.wr(0x02c, 0x52534554)
    r.settle()
    seeds['dma-fault-reset'] = r.b
    return seeds


# ---- fuzz_sqe ----

VA_GUEST, VA_HBM_LARGE, VA_HBM_SMALL, VA_HOLE = 0x100000, 0x40000000, \
    0x400000, 0x600000
WINDOWS = [VA_GUEST, VA_HBM_LARGE, VA_HBM_SMALL, VA_HOLE]


def va(addr):
    """in_va(): a window base plus an offset below 2^20, or any value."""
    for w, base in enumerate(WINDOWS):
        if base <= addr < base + (1 << 20):
            return u8(w | (12 << 2)) + u32(addr - base)
    return u8(0xff) + u64(addr)


def length(n):
    if n < 64:
        return u8(n)
    if n < 0x10000:
        return u8(0x40) + u16(n)
    return u8(0x80) + u32(n)


class Sqe:
    def __init__(self, aicores=2, flags=0x01, queues=(0x03, 0x23), co=None):
        """flags: nq = 1 + flags % 3, admin depth 4 << (flags >> 2 & 3),
        bit 7 no base mapping; queues: per IO queue, depth 2 << (b % 7),
        vector b >> 5, bit 3: coalescing bytes follow (co[i])."""
        self.b = u8(aicores - 1) + u8(flags)
        for i, q in enumerate(queues):
            self.b += u8(q)
            if q & 0x08:
                self.b += u8(co[i][0]) + u8(co[i][1])

    def io(self, qid, body, ring=True):
        self.b += u8(0x80 if ring else 0) + u8(qid - 1) + body

    def memcpy(self, qid, dst, src, n, irq=False, ring=True):
        self.io(qid, u8(1 | (8 if irq else 0)) + va(src) + va(dst) +
                length(n), ring)

    def memset(self, qid, dst, n, v, ring=True):
        self.io(qid, u8(2) + va(dst) + length(n) + u8(v), ring)

    def event(self, qid, op, addr, v, ring=True):
        self.io(qid, u8(op) + va(addr) + u8(v), ring)

    def launch(self, qid, desc, size, block_dim=0, ring=True):
        self.io(qid, u8(6) + va(desc) + u16(size) + u8(block_dim), ring)

    def raw(self, qid, s, ring=True):
        self.b += u8(0x80 | 3 if ring else 3) + u8(qid) + s

    def admin(self, body, ring=True):
        self.b += u8(4 if ring else 0x84) + body

    def ring(self, qid):
        self.b += u8(5) + u8(qid)

    def reap(self, qid=None):
        self.b += u8(6) + u8(0x80 if qid is None else qid)

    def pte(self, table, idx, sel, v, raw=None):
        self.b += u8(7) + u8(table) + u16(idx) + u8(sel) + u32(v)
        if raw is not None:
            self.b += u64(raw)

    def mem(self, data_off, data):
        self.b += u8(8) + u8(0) + u16(data_off) + u8(len(data) - 1) + data

    def descriptor(self, off8, n, a, b, c):
        self.b += u8(9) + u16(off8) + u16(n) + u8(0) + va(a) + va(b) + va(c)

    def settle(self):
        self.b += u8(10)

    def bh(self):
        self.b += u8(11)

    def jobs(self, n):
        self.b += u8(12) + u8(n - 1)

    def clock(self, units64):
        self.b += u8(13) + u16(units64)

    def fault(self, code):
        self.b += u8(14) + u8(0x80 | code)

    def aq_ctrl(self, val):
        self.b += u8(14) + u8(0x40 | val)

    def fail(self, read=False, write=False, block=0):
        self.b += u8(14) + u8((1 if read else 0) | (2 if write else 0) |
                              (block << 2))

    def hdc_slot(self, slot):
        self.b += u8(16) + u8(len(slot) - 32) + slot

    def hdc_drain(self):
        self.b += u8(17)

    def event_value(self, data_off8, v):
        self.b += u8(18) + u16(data_off8) + u8(v)


def admin_query(op, size, raw_addr=None):
    idx = {0x80: 0, 0x8a: 10, 0x8b: 11}[op]
    if raw_addr is None:
        return u8(idx) + u16(size)
    return u8(0x80 | idx) + u64(raw_addr) + u16(size)


def sqe_seeds():
    seeds = {}
    # MEMCPY guest -> guest, guest -> HBM (2 MiB page), HBM (4 KiB pages)
    # -> guest, MEMSET, and an unmapped destination (MMU fault).
    s = Sqe()
    s.mem(0x100, b'vascend fuzz seed: some bytes to copy around' * 4)
    s.memcpy(1, VA_GUEST + 0x8000, VA_GUEST, 4096)
    s.settle()
    s.memcpy(1, VA_HBM_LARGE + 0x1000, VA_GUEST + 0x100, 300)
    s.memcpy(2, VA_GUEST + 0x20000, VA_HBM_SMALL, 3 * 4096 + 17)
    s.settle()
    s.memset(1, VA_GUEST + 0x30000, 5000, 0xab)
    s.memcpy(1, VA_HOLE, VA_GUEST, 64)
    s.settle()
    s.reap()
    s.admin(u8(6) + u8(1))          # RESET_QUEUE 1 (queue stopped)
    s.settle()
    s.reap()
    seeds['memcpy-memset'] = s.b
    # TestVectorAdd: 1000 elements a, b in guest pages, c in HBM.
    s = Sqe(aicores=4, flags=0x00, queues=(0x04,))
    s.descriptor(0, 1000, VA_GUEST + 0x10000, VA_GUEST + 0x20000,
                 VA_HBM_LARGE + 0x8000)
    s.launch(1, VA_GUEST, 64 + 3 * 96)
    s.settle()
    s.descriptor(64, 40000, VA_HBM_SMALL, VA_HBM_LARGE, VA_GUEST)
    s.launch(1, VA_GUEST + 512, 64 + 3 * 96, block_dim=7)
    s.settle()
    s.reap()
    seeds['launch-vadd'] = s.b
    # Events: record, wait parked then woken by notify on another queue.
    s = Sqe(flags=0x01, queues=(0x02, 0x0a), co=(None, (3, 10)))
    s.event(1, 3, VA_GUEST + 0x100, 7)
    s.event(1, 4, VA_GUEST + 0x200, 5)
    s.settle()
    s.event(2, 5, VA_GUEST + 0x200, 9)
    s.settle()
    s.event_value(0x40, 1)
    s.event(2, 4, VA_GUEST + 0x200, 9)
    s.memset(2, VA_GUEST + 0x1000, 100, 1)
    s.settle()
    s.clock(20000)
    s.settle()
    s.reap()
    seeds['events-coalescing'] = s.b
    # Admin: IDENTIFY, TELEMETRY, GET_OP_TABLE, contexts and queues made
    # and unmade, TLB invalidation, DEVICE_RESET.
    s = Sqe(flags=0x06, queues=(0x03,))
    s.admin(admin_query(0x80, 4096))
    s.admin(admin_query(0x8a, 96))
    s.admin(admin_query(0x8b, 32))
    s.settle()
    s.admin(u8(2) + u8(3) + u8(5))              # CREATE_CONTEXT 3 on table 5
    s.admin(u8(4) + u8(3) + u8(3) + u8(4) + u8(2))   # CREATE_QUEUE 4
    s.settle()
    s.memcpy(4, VA_GUEST, VA_GUEST + 0x1000, 100)
    s.settle()
    s.admin(u8(8) + u8(1) + va(VA_GUEST) + length(0x10000))
    s.admin(u8(5) + u8(4))                       # DELETE_QUEUE 4
    s.admin(u8(3) + u8(3))                       # DELETE_CONTEXT 3
    s.settle()
    s.reap()
    s.admin(u8(9))                               # DEVICE_RESET
    s.settle()
    s.reap()
    seeds['admin-commands'] = s.b
    # Page tables rewired: a 4 KiB leaf moved, read-only and HBM leaves, a
    # TLB invalidation, then copies through them.
    s = Sqe(flags=0x00, queues=(0x03,))
    s.pte(3, 256, 0x01, 100)                     # VA_GUEST page 0 read-only
    s.pte(3, 257, 0x2b, 300)                     # VA_GUEST page 1 -> HBM
    s.admin(u8(8) + u8(1) + va(VA_GUEST) + length(0))
    s.settle()
    s.memcpy(1, VA_GUEST + 0x2000, VA_GUEST + 0x1000, 4096)
    s.memcpy(1, VA_GUEST, VA_GUEST + 0x1000, 16)
    s.settle()
    s.reap()
    seeds['page-tables'] = s.b
    # HDC through the admin queue: setup, CONNECT echo, DATA, drain.
    s = Sqe(flags=0x00, queues=(0x03,))
    s.admin(u8(12) + u8(20) + u8(3))             # 1 KiB x 8 slots
    s.settle()
    s.hdc_slot(hdc_hdr(5, 1, arg=1, credits=4))
    s.settle()
    s.hdc_slot(hdc_hdr(5, 3, flags=3, length=4, total=4) + b'ping')
    s.settle()
    s.hdc_drain()
    s.settle()
    s.reap()
    seeds['hdc-admin'] = s.b
    # Faults: a hung launch reset, a DMA error, then ECC and recovery.
    s = Sqe(flags=0x00, queues=(0x03,))
    s.fault(1)
    s.descriptor(0, 16, VA_GUEST + 0x1000, VA_GUEST + 0x2000,
                 VA_GUEST + 0x3000)
    s.launch(1, VA_GUEST, 64 + 3 * 96)
    s.settle()
    s.admin(u8(6) + u8(1))
    s.settle()
    s.reap()
    s.fault(2)
    s.memset(1, VA_GUEST, 10, 0)
    s.settle()
    s.reap()
    s.admin(u8(6) + u8(1))
    s.memcpy(1, VA_GUEST, VA_GUEST + 0x8000, 0x8000, ring=False)
    s.fault(3)
    s.ring(1)
    s.jobs(1)
    s.settle()
    s.reap()
    s.admin(u8(9))
    s.settle()
    s.reap()
    seeds['faults'] = s.b
    # Admin commands while IO jobs are out (interleaved scheduling, a
    # moving clock): RESET_QUEUE, TLB_INVALIDATE, DELETE_QUEUE and
    # DEVICE_RESET all wait for the jobs before they complete.
    s = Sqe(aicores=2 | (1 << 2) | (1 << 5), flags=0x01, queues=(0x05, 0x25))
    s.memcpy(1, VA_GUEST + 0x20000, VA_GUEST, 0x10000)
    s.bh()
    s.admin(u8(6) + u8(1))                       # RESET_QUEUE 1
    s.bh()
    s.memset(2, VA_HBM_LARGE, 0x8000, 7)
    s.bh()
    s.admin(u8(8) + u8(1) + va(VA_GUEST) + length(0))
    s.bh()
    s.jobs(1)
    s.bh()
    s.settle()
    s.memcpy(2, VA_GUEST, VA_HBM_SMALL, 0x8000)
    s.bh()
    s.admin(u8(5) + u8(2))                       # DELETE_QUEUE 2
    s.bh()
    s.settle()
    s.reap()
    s.memcpy(1, VA_GUEST, VA_GUEST + 0x8000, 0x8000)
    s.bh()
    s.admin(u8(9))                               # DEVICE_RESET
    s.settle()
    s.reap()
    seeds['admin-races-jobs'] = s.b
    # A launch whose descriptor carries attributes (TestVectorAdd refuses
    # them: OP_ERROR), then one with a bad dtype, then a good one.
    s = Sqe(aicores=3, flags=0x00, queues=(0x04,))
    s.b += (u8(9) + u16(0) + u16(64) + u8(2) + va(VA_GUEST + 0x1000) +
            va(VA_GUEST + 0x2000) + va(VA_GUEST + 0x3000) + u8(1) +
            u8(0) + u8(1) + u8(2) + bytes(16) + u8(3) + u8(2) + u8(2) +
            bytes(8))
    s.io(1, u8(0x46) + u8(0))
    s.settle()
    s.admin(u8(6) + u8(1))
    s.settle()
    s.b += (u8(9) + u16(128) + u16(64) + u8(8) + va(VA_GUEST + 0x1000) +
            u8(1) + u8(2) + u8(1) + u16(0) + u32(256) +
            va(VA_GUEST + 0x2000) + u8(0) + u8(2) + u8(1) + u16(0) +
            u32(256) + va(VA_GUEST + 0x3000) + u8(0) + u8(2) + u8(1) +
            u16(0) + u32(256))
    s.io(1, u8(0x46) + u8(0))
    s.settle()
    s.reap()
    s.admin(u8(6) + u8(1))
    s.settle()
    s.descriptor(256, 64, VA_GUEST + 0x1000, VA_GUEST + 0x2000,
                 VA_HBM_SMALL)
    s.io(1, u8(0x46) + u8(0))
    s.settle()
    s.reap()
    seeds['launch-attrs-dtypes'] = s.b
    # The admin queue switched off while a copy runs (waits for its job),
    # then on again and used.
    s = Sqe(aicores=2 | (3 << 2), flags=0x00, queues=(0x03,))
    s.memcpy(1, VA_GUEST + 0x20000, VA_GUEST, 0x10000)
    s.bh()
    s.aq_ctrl(0)
    s.bh()
    s.jobs(1)
    s.settle()
    s.aq_ctrl(1)
    s.admin(admin_query(0x80, 64))
    s.settle()
    s.reap()
    seeds['admin-queue-off-on'] = s.b
    return seeds


# ---- fuzz_mmu ----

class Mmu:
    def __init__(self, cfg=0x01):
        """cfg: HBM size index (cfg % 4: 1M, 2M, 4M, 1.5M), RAM block
        (bits 2..4), bit 7: map RAM directly instead of bounce copies."""
        self.b = u8(cfg)

    def pte(self, table, idx, sel, v, raw=None):
        self.b += u8(0) + u8(table) + u16(idx) + u8(sel) + u32(v)
        if raw is not None:
            self.b += u64(raw)

    def table(self, table, idx, to, flags=1):
        self.pte(table, idx, 0x00 | flags, to)

    def guest(self, table, idx, page, flags=3):
        self.pte(table, idx, 0x30 | flags, page)

    def hbm(self, table, idx, page, flags=0xb):
        self.pte(table, idx, 0x50 | flags, page)

    def large_hbm(self, table, idx, which, flags=0xb):
        self.pte(table, idx, 0x70 | flags, which)

    def xlate(self, va_sel, off, n, access, keep=None):
        body = u8(va_sel) + u32(off) + length(n) + u8(access)
        if keep is None:
            self.b += u8(3) + body
        else:
            self.b += u8(0x80 | 3) + body + u8(keep)

    def release(self, i):
        self.b += u8(5) + u8(i)

    def copy(self, write, data, va_off, high=False):
        self.b += (u8(7 if write else 6) + u8(len(data) - 1) + data +
                   u64(va_off) + u8(1 if high else 0))

    def invalidate(self, va_sel, off, n=None):
        self.b += u8(8) + u8(va_sel) + u32(off)
        if n is None:
            self.b += u8(1)
        else:
            self.b += u8(0) + length(n)

    def count(self, budget=None):
        self.b += u8(9) + (u8(0) if budget is None else
                           u8(0x80) + u16(budget - 1))

    def root(self, table):
        self.b += u8(10) + u8(table)

    def xfer(self, src, dst, how):
        """how % 4: copy, fill (with how), gather, scatter."""
        self.b += u8(11) + u8(0x40) + u8(src) + u8(dst) + u8(how)

    def env(self, block=0, direct=False):
        self.b += u8(11) + u8((block << 2) | (0x80 if direct else 0))


def vsel(window, bits):
    """in_va(): window (0: 0, 1: 0x100000, 2: 1 GiB, 3: near 2^47, 4: near
    2^48, 5: 0x200000), offset mask of 4 + bits bits."""
    return window | (bits << 3)


def mmu_seeds():
    seeds = {}
    # Root 0 -> 1 -> 2 -> 3: VA 0x100000.. -> guest pages 20.., then HBM
    # 4 KiB pages, a read-only page, a 2 MiB HBM page at VA 0x40000000
    # (table 1 entry 1 -> table 4), translations, copies, counts.
    m = Mmu(cfg=0x01)
    m.table(0, 0, 1)
    m.table(1, 0, 2)
    m.table(2, 0, 3)
    for i in range(8):
        m.guest(3, 256 + i, 20 + i)
    m.hbm(3, 264, 5)
    m.hbm(3, 265, 6)
    m.guest(3, 266, 40, flags=1)
    m.table(1, 1, 4)
    m.large_hbm(4, 0, 0)
    m.invalidate(vsel(0, 0), 0)
    m.xlate(vsel(1, 16), 0, 8 * 4096, 1)
    m.xlate(vsel(1, 16), 0x10, 11 * 4096 - 0x20, 2)
    m.xlate(vsel(1, 16), 0xa000, 100, 2)
    m.xlate(vsel(2, 16), 0x100, 0x20000, 2, keep=1)
    m.copy(True, b'written through the MMU', 0x100ff0)
    m.copy(False, bytes(48), 0x100ff0)
    m.copy(True, b'into HBM', 0x1000, high=True)
    m.count()
    m.count(budget=100)
    m.release(1)
    m.xlate(vsel(4, 16), 0, 0x10000, 1)
    m.xlate(vsel(1, 16), 0, 0, 1)
    seeds['walk-copy-count'] = m.b
    # Stale TLB: translate, move the leaf, translate (stale allowed), then
    # invalidate the range and translate again (must see the new leaf).
    m = Mmu(cfg=0x02 | (3 << 2))
    m.table(0, 0, 1)
    m.table(1, 0, 2)
    m.table(2, 0, 3)
    m.guest(3, 256, 30)
    m.guest(3, 257, 31)
    m.invalidate(vsel(0, 0), 0)
    m.xlate(vsel(1, 16), 0, 8192, 1)
    m.guest(3, 257, 60)
    m.xlate(vsel(1, 16), 0, 8192, 1)
    m.invalidate(vsel(1, 16), 0x1000, 1)
    m.xlate(vsel(1, 16), 0, 8192, 1)
    m.invalidate(vsel(1, 16), 0)
    m.hbm(3, 258, 2000)
    m.xlate(vsel(1, 16), 0x2000, 4096, 1)
    m.root(7)
    m.xlate(vsel(1, 16), 0, 4096, 1)
    m.env(block=1, direct=True)
    m.root(0)
    m.xlate(vsel(1, 16), 0, 8192, 2)
    seeds['tlb-invalidate'] = m.b
    # Data movement between translations split differently: guest pages
    # (RAM blocks of 512 bytes) against a 2 MiB HBM page and 4 KiB HBM pages.
    m = Mmu(cfg=0x01 | (1 << 2))
    m.table(0, 0, 1)
    m.table(1, 0, 2)
    m.table(2, 0, 3)
    for i in range(4):
        m.guest(3, 256 + i, 20 + 2 * i)
        m.hbm(3, 260 + i, 9 - i)
    m.table(1, 1, 4)
    m.large_hbm(4, 0, 0)
    m.invalidate(vsel(0, 0), 0)
    m.xlate(vsel(1, 16), 0x10, 4 * 4096 - 0x30, 2, keep=0)
    m.xlate(vsel(2, 16), 0x123, 3 * 4096, 2, keep=1)
    m.xlate(vsel(1, 16), 0x4000, 4 * 4096, 2, keep=2)
    for how in (0, 1, 2, 3, 4, 6, 7):
        m.xfer(0, 1, how)
        m.xfer(1, 2, how)
        m.xfer(2, 0, how)
    seeds['xfer'] = m.b
    return seeds


# ---- fuzz_hdc ----

class Hdc:
    def __init__(self, cfg=0x00):
        """cfg: mem_max index (cfg & 3), bit 4: no identify/telemetry, bit 5:
        no file directory, bit 6: not set up at start (else 64 x 1 KiB)."""
        self.b = u8(cfg)

    def setup(self, size_log2, count_log2, vector=3):
        self.b += u8(0) + u8((size_log2 - 8) | (vector << 4)) + \
            u8(count_log2 - 1)

    def teardown(self):
        self.b += u8(1)

    def connect(self, sid, svc, credits):
        self.b += u8(4) + u8(sid - 1) + u8(svc) + u8(credits)

    def data(self, sid, payload):
        if len(payload) <= 64:
            self.b += u8(5) + u8(sid - 1) + u8(len(payload) - 1) + payload
        else:
            self.b += u8(0x80 | 5) + u8(sid - 1) + u16(len(payload) - 1) + \
                payload[:64]

    def file(self, sid, op, name_idx, size=0, data=None):
        big = size > 0xffff
        self.b += (u8(7) + u8(sid - 1) + u8(op) + u8(name_idx) +
                   u8((0x20 if data else 0) | (0x10 if big else 0)))
        if op == 1:
            self.b += u32(size) if big else u16(size)
        if data:
            self.b += u16(len(data) - 1) + data

    def mgmt(self, sid, cmd):
        self.b += u8(8) + u8(sid - 1) + u8(cmd)

    def credit(self, sid, n):
        self.b += u8(9) + u8(sid - 1) + u8(n)

    def close(self, sid):
        self.b += u8(10) + u8(sid - 1) + u8(0)

    def pump(self):
        self.b += u8(16)

    def drain(self, credits=True):
        self.b += u8(0x80 | 13 if credits else 13)

    def log(self, text):
        self.b += u8(17) + u8(len(text)) + text


def hdc_seeds():
    seeds = {}
    # Every service: echo (a message of three fragments), mgmt identify and
    # telemetry, the log, a file PUT / LIST / GET / DELETE.
    h = Hdc()
    h.connect(1, 1, 8)
    h.connect(2, 2, 8)
    h.connect(3, 3, 8)
    h.connect(4, 4, 8)
    h.pump()
    h.data(1, b'echo me ' * 8)
    h.b += u8(0x80 | 5) + u8(0) + u16(2500 - 1) + b'x' * 64
    h.mgmt(2, 1)
    h.mgmt(2, 2)
    h.log(b'a device log line')
    h.pump()
    h.file(4, 1, 1, size=300, data=b'f' * 300)
    h.pump()
    h.file(4, 3, 0)
    h.file(4, 2, 1)
    h.pump()
    h.file(4, 4, 1)
    h.close(1)
    h.pump()
    seeds['services'] = h.b
    # Small slots, refusals, bad fragments, teardown with sessions open.
    h = Hdc(cfg=0x42)
    h.setup(8, 2)
    h.connect(1, 1, 2)
    h.connect(2, 6, 1)
    h.connect(1, 1, 2)
    h.pump()
    h.data(3, b'no session')
    h.connect(5, 1, 1)
    h.pump()
    h.data(5, b'y' * 300)
    h.data(5, b'z')
    h.drain(credits=False)
    h.pump()
    h.teardown()
    h.setup(16, 2)
    h.connect(7, 4, 2)
    h.pump()
    seeds['refusals-teardown'] = h.b
    # Sessions until the device has no more (64), then one too many; a
    # FIRST while a message is open; a message above the memory limit.
    h = Hdc(cfg=0x03)
    for sid in range(1, 67):
        h.b += u8(4) + u8(0xc0) + u8(sid) + u8(1) + u8(2)
        if sid % 16 == 0:
            h.pump()
    h.pump()
    h.b += (u8(2) + u8(0) + u8(3) + u8(1) + u16(10) + u8(0) + u8(0) +
            bytes(10))
    h.b += (u8(0x42) + u8(0) + u8(3) + u8(1) + u16(10) + u32(20) + u8(0) +
            u8(0) + bytes(10))
    h.b += (u8(0x42) + u8(0) + u8(3) + u8(1) + u16(10) + u32(20) + u8(0) +
            u8(0) + bytes(10))
    h.b += (u8(0x42) + u8(1) + u8(3) + u8(1) + u16(10) + u32(1 << 20) +
            u8(0) + u8(0) + bytes(10))
    h.pump()
    seeds['many-sessions'] = h.b
    # The file service in a directory with a subdirectory, a FIFO, a
    # symlink and a 300 KiB file: GET each, LIST, PUT over the limit and
    # two good PUTs.
    h = Hdc(cfg=0x80)
    h.connect(4, 4, 15)
    h.pump()
    for name in (13, 10, 11, 12):               # big, sub, fifo, link
        h.file(4, 2, name)
        h.pump()
    h.file(4, 1, 0, size=1 << 20)
    h.file(4, 1, 0, size=10, data=b'0123456789')
    h.file(4, 1, 8, size=4, data=b'abcd')
    h.pump()
    h.file(4, 3, 0)
    h.file(4, 4, 12)
    h.pump()
    seeds['file-fixtures'] = h.b
    # The log service while the host does not read: more lines than the
    # ring keeps, then the drop notice when it reads again.
    h = Hdc(cfg=0x00)
    h.connect(3, 3, 2)
    h.pump()
    h.b += u8(0x80 | 17) + u8(100) + b'x' * 100
    h.drain(credits=False)
    h.credit(3, 8)
    h.pump()
    seeds['log-flood'] = h.b
    return seeds


def write(target, seeds):
    d = os.path.join(HERE, 'seeds', target)
    os.makedirs(d, exist_ok=True)
    for name, data in seeds.items():
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)


def main():
    write('regs', regs_seeds())
    write('sqe', sqe_seeds())
    write('mmu', mmu_seeds())
    write('hdc', hdc_seeds())
    return 0


if __name__ == '__main__':
    sys.exit(main())
