#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Device-level test of the ascend-npu QEMU device, through QEMU's qtest
protocol: no guest OS, the test itself plays the driver. It checks what the
host unit tests cannot: PCI identity, BAR sizes and flags, the MSI-X and PCIe
capabilities, DMA through the real bus-master address space, MSI-X messages,
the bottom half and the worker threads, and that bad accesses leave QEMU
alive. Then, on fresh instances, the queue interface end to end: the admin
queue brought up through registers with rings in guest RAM, a context with a
page table written into guest RAM, an IO queue, every task type including a
TestVectorAdd launch and an MMU fault, the negative cases, fault injection
through the register and through QMP's qom-set, FLR, and two cards. Last,
the operator library in the real binary, with ops=fast and ops=reference:
firmware with firmware/ops.txt's whole table, a broadcasting Add checked
element by element, bad shapes answered with the exact OP_ERROR info, and a
MODEL_EXECUTE of a two-task .om written here.

Usage: qtest_ascend_npu.py [QEMU]   (default: build/qemu/qemu-system-x86_64)
Prints TAP; exits non-zero when a check fails.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", "..", ".."))

DEVFN = 0x04 << 3               # -device ...,addr=04.0
BAR0 = 0xE0000000               # registers
BAR2 = 0xC0000000               # HBM (64 MiB)
BAR4 = 0xE0100000               # MSI-X (BAR0 is 512 KiB)
HBM = 64 << 20
MSI_RAM = 0x10000               # MSI-X messages land in RAM here
FW_RAM = 0x100000
BUF_RAM = 0x200000

# include/uapi/vascend_hw.h
REG = dict(MAGIC=0x000, VERSION=0x004, CAPS_LO=0x008, AICORE=0x010,
           MSIX_COUNT=0x014, HBM_LO=0x018, HBM_HI=0x01c, SCRATCH=0x020,
           STATUS=0x024, IRQ_STATUS=0x028, RESET=0x02c, FW_ADDR_LO=0x100,
           FW_ADDR_HI=0x104, FW_SIZE=0x108, FW_CTRL=0x10c, FW_STATUS=0x110,
           FW_VERSION=0x114, SOC=0x200, DMA_HOST_LO=0x300, DMA_HOST_HI=0x304,
           DMA_DEV_LO=0x308, DMA_DEV_HI=0x30c, DMA_LEN=0x310, DMA_CTRL=0x314,
           DMA_STATUS=0x318, DMA_SEQ=0x31c)


class Qtest:
    def __init__(self, qemu, devices=None, traces=None, qmp=False):
        self.log = tempfile.NamedTemporaryFile(
            "w", prefix="qtest_ascend_npu.", suffix=".log", delete=False)
        devices = devices or [
            "ascend-npu,addr=04.0,aicores=4,hbm=64M,soc=TestSoC"]
        traces = traces or ["ascend_npu_fw_done", "ascend_npu_dma_start"]
        args = ["timeout", "120", qemu, "-machine", "q35", "-accel", "qtest",
                "-qtest", "stdio", "-qtest-log", "/dev/null",
                "-L", os.path.join(os.path.dirname(qemu), "optionrom"),
                "-L", "/usr/share/seabios",
                "-display", "none", "-nodefaults", "-m", "64",
                "-d", "guest_errors", "-D", self.log.name]
        for t in traces:
            args += ["-trace", t]
        for d in devices:
            args += ["-device", d]
        self.qmp_path = None
        if qmp:
            self.qmp_path = self.log.name + ".qmp"
            args += ["-qmp", "unix:%s,server=on,wait=off" % self.qmp_path]
        self.p = subprocess.Popen(args, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        self.qmp = None

    def qmp_cmd(self, execute, **arguments):
        """One QMP command; returns its "return" or "error" object."""
        if self.qmp is None:
            for _ in range(100):
                if os.path.exists(self.qmp_path):
                    break
                self.cmd("clock_step 1000")
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(30)
            sock.connect(self.qmp_path)
            self.qmp = sock.makefile("rw")
            json.loads(self.qmp.readline())        # greeting
            self.qmp_cmd("qmp_capabilities")
        self.qmp.write(json.dumps({"execute": execute,
                                   "arguments": arguments}) + "\n")
        self.qmp.flush()
        while True:
            r = json.loads(self.qmp.readline())
            if "return" in r:
                return r["return"]
            if "error" in r:
                return r
            # asynchronous events: skip

    def cmd(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        while True:
            out = self.p.stdout.readline()
            if not out:
                raise RuntimeError("QEMU died on: " + line)
            if out.startswith("OK") or out.startswith("FAIL"):
                return out.split()
            # "IRQ ..." notifications and the like: skip

    def val(self, line):
        r = self.cmd(line)
        if r[0] != "OK":
            raise RuntimeError(line + ": " + " ".join(r))
        return int(r[1], 16)

    def cfg_addr(self, off):
        self.cmd("outl 0xcf8 0x%x" % (0x80000000 | DEVFN << 8 | (off & 0xfc)))

    def cfg_rd(self, off):
        self.cfg_addr(off)
        return self.val("inl 0xcfc")

    def cfg_wr(self, off, v):
        self.cfg_addr(off)
        self.cmd("outl 0xcfc 0x%x" % v)

    def rd(self, addr):
        return self.val("readl 0x%x" % addr)

    def wr(self, addr, v):
        self.cmd("writel 0x%x 0x%x" % (addr, v))

    def mem_wr(self, addr, data):
        self.cmd("write 0x%x 0x%x 0x%s" % (addr, len(data), data.hex()))

    def mem_rd(self, addr, n):
        r = self.cmd("read 0x%x 0x%x" % (addr, n))
        return bytes.fromhex(r[1][2:])

    def reg(self, name):
        return self.rd(BAR0 + REG[name])

    def set(self, name, v):
        self.wr(BAR0 + REG[name], v)

    def poll(self, name, busy):
        for _ in range(1000):
            v = self.reg(name)
            if v != busy:
                return v
            self.cmd("clock_step 1000")
        return v

    def alive(self):
        return self.p.poll() is None

    def quit(self):
        # qtest has no quit command: QEMU ends on SIGTERM, as libqtest does.
        self.p.terminate()
        rc = self.p.wait(timeout=30)
        self.p.stdin.close()
        self.log.close()
        with open(self.log.name) as f:
            text = f.read()
        os.unlink(self.log.name)
        if self.qmp_path and os.path.exists(self.qmp_path):
            os.unlink(self.qmp_path)
        # 124: timeout(1) killed it; signals show as negative codes.
        self.rc = rc
        return text


count = 0
failed = 0


def check(cond, what):
    global count, failed
    count += 1
    if not cond:
        failed += 1
    print("%sok %d - %s" % ("" if cond else "not ", count, what), flush=True)


def fw_image(version=0x010203, info=b"qtest image\0"):
    pad = (-len(info)) % 8
    sect = struct.pack("<II", 1, len(info)) + info + b"\0" * pad
    size = 64 + len(sect)
    hdr = struct.pack("<IHHIIIII36x", 0x57464156, 1, 64, version, size, 0, 1,
                      0)
    img = bytearray(hdr + sect)
    struct.pack_into("<I", img, 16, zlib.crc32(bytes(img)))
    return bytes(img)


def find_cap(q, cap_id):
    ptr = q.cfg_rd(0x34) & 0xff
    while ptr:
        v = q.cfg_rd(ptr)
        if v & 0xff == cap_id:
            return ptr
        ptr = (v >> 8) & 0xff
    return 0


def dma(q, host, dev, length, ctrl):
    q.set("DMA_HOST_LO", host & 0xffffffff)
    q.set("DMA_HOST_HI", host >> 32)
    q.set("DMA_DEV_LO", dev & 0xffffffff)
    q.set("DMA_DEV_HI", dev >> 32)
    q.set("DMA_LEN", length)
    q.set("DMA_CTRL", ctrl)
    return q.poll("DMA_STATUS", 0x01)


def test_basics(qemu):
    q = Qtest(qemu)

    # PCI identity and BARs
    check(q.cfg_rd(0x00) == 0xd5a019e5, "vendor 19e5 device d5a0")
    check(q.cfg_rd(0x08) == 0x12000001, "class 0x1200, revision 0x01")
    check(q.cfg_rd(0x2c) == 0xd5a019e5, "subsystem 19e5:d5a0")
    sizes = {}
    for bar in (0x10, 0x18, 0x1c, 0x20):
        q.cfg_wr(bar, 0xffffffff)
        sizes[bar] = q.cfg_rd(bar)
    check(sizes[0x10] == 0xfff80000, "BAR0: 512 KiB, 32-bit memory (0x%x)"
          % sizes[0x10])
    check(sizes[0x18] == (~(HBM - 1) & 0xffffffff) | 0xc,
          "BAR2: 64 MiB, 64-bit prefetchable (0x%x)" % sizes[0x18])
    check(sizes[0x1c] == 0xffffffff, "BAR3 is BAR2's upper half")
    check(sizes[0x20] == 0xfffff000, "BAR4: 4 KiB MSI-X (0x%x)" % sizes[0x20])
    check(q.cfg_rd(0x3c) >> 8 & 0xff == 0, "no INTx pin")
    pcie = find_cap(q, 0x10)
    msix = find_cap(q, 0x11)
    check(pcie != 0, "PCIe capability at 0x%x" % pcie)
    check(msix != 0 and (q.cfg_rd(msix) >> 16 & 0x7ff) + 1 == 8,
          "MSI-X capability with 8 vectors")
    check(q.cfg_rd(msix + 4) == 4 and q.cfg_rd(msix + 8) == 0x804,
          "MSI-X table at BAR4+0, PBA at BAR4+0x800")

    q.cfg_wr(0x10, BAR0)
    q.cfg_wr(0x18, BAR2 | 0xc)
    q.cfg_wr(0x1c, 0)
    q.cfg_wr(0x20, BAR4)
    q.cfg_wr(0x04, 0x6)            # memory space + bus master
    # MSI-X: enable, each vector writes 0xa0+v to RAM at MSI_RAM + 4v.
    q.cfg_wr(msix, q.cfg_rd(msix) | 1 << 31)
    for v in range(8):
        base = BAR4 + 16 * v
        q.wr(base, MSI_RAM + 4 * v)
        q.wr(base + 4, 0)
        q.wr(base + 8, 0xa0 + v)
        q.wr(base + 12, 0)

    # Registers
    check(q.reg("MAGIC") == 0x4e435341, "MAGIC through BAR0")
    check(q.reg("VERSION") == 0x10001, "VERSION 1.1")
    check(q.reg("AICORE") == 4, "aicores=4 reported")
    check(q.reg("MSIX_COUNT") == 8, "MSIX_COUNT 8")
    check(q.reg("HBM_LO") == HBM and q.reg("HBM_HI") == 0, "hbm=64M reported")
    soc = b"".join(struct.pack("<I", q.rd(BAR0 + REG["SOC"] + i))
                   for i in range(0, 32, 4))
    check(soc.rstrip(b"\0") == b"TestSoC", "soc=TestSoC reported")
    q.set("SCRATCH", 0xcafef00d)
    check(q.reg("SCRATCH") == 0xcafef00d, "SCRATCH holds a value")

    # DMA before boot
    check(dma(q, BUF_RAM, 0, 64, 1) == 0x81, "DMA before boot: ERR_NOT_BOOTED")
    check(q.mem_rd(MSI_RAM + 4, 4) == b"\xa1\0\0\0",
          "DMA vector 1 delivered as an MSI-X message")

    # Firmware boot
    img = fw_image()
    q.mem_wr(FW_RAM, img)
    q.set("FW_ADDR_LO", FW_RAM)
    q.set("FW_ADDR_HI", 0)
    q.set("FW_SIZE", len(img))
    q.set("FW_CTRL", 1)
    check(q.poll("FW_STATUS", 0x01) == 0x02, "valid image: FW_STATUS RUNNING")
    check(q.reg("FW_VERSION") == 0x010203, "FW_VERSION 1.2.3")
    check(q.reg("STATUS") & 1, "STATUS.FW_RUNNING")
    check(q.mem_rd(MSI_RAM, 4) == b"\xa0\0\0\0", "admin vector 0 delivered")
    check(q.reg("IRQ_STATUS") == 3, "IRQ_STATUS has FW_BOOT and DMA_DONE")
    q.set("IRQ_STATUS", 3)
    check(q.reg("IRQ_STATUS") == 0, "IRQ_STATUS write-1-to-clear")

    # DMA copies
    pattern = bytes((i * 13 + 5) & 0xff for i in range(8192))
    q.mem_wr(BUF_RAM, pattern)
    q.mem_wr(MSI_RAM + 4, b"\0\0\0\0")
    check(dma(q, BUF_RAM, 0x1000, len(pattern), 1) == 0x02, "H2D DONE")
    check(q.mem_rd(BAR2 + 0x1000, len(pattern)) == pattern,
          "H2D data visible through BAR2")
    check(q.mem_rd(MSI_RAM + 4, 4) == b"\xa1\0\0\0", "DMA vector delivered")
    q.mem_wr(BAR2 + 0x20000, b"\x5a" * 100 + b"tail")
    check(dma(q, BUF_RAM + 0x10000, 0x20000, 104, 3) == 0x02, "D2H DONE")
    check(q.mem_rd(BUF_RAM + 0x10000, 104) == b"\x5a" * 100 + b"tail",
          "D2H data in guest RAM")
    check(q.reg("DMA_SEQ") == 3, "DMA_SEQ counts every command (3)")

    # Guest mistakes: error statuses, QEMU stays up
    check(dma(q, BUF_RAM, 0, 0, 1) == 0x83, "length 0: ERR_LEN")
    check(dma(q, BUF_RAM, HBM - 4, 8, 1) == 0x82, "past HBM end: ERR_RANGE")
    check(dma(q, BUF_RAM, 0, 8, 0x81) == 0x85, "reserved CTRL bit: ERR_CTRL")
    check(dma(q, 0xfff000000000, 0, 4096, 1) == 0x84,
          "unassigned host address: ERR_HOST")
    st = dma(q, BAR0, 0, 64, 3)
    check(st in (0x02, 0x84) and q.alive(),
          "DMA into the device's own BAR0 does not re-enter it (0x%x)" % st)
    check(dma(q, BAR2 + 0x1000, 0x1000, 8192, 1) == 0x02 and
          q.mem_rd(BAR2 + 0x1000, len(pattern)) == pattern,
          "DMA from BAR2 onto itself is harmless")
    # qtest goes through address_space_rw, which splits or widens these to
    # 32-bit accesses (a vCPU's would be refused by .valid instead); either
    # way the device must keep working.
    q.cmd("readw 0x%x" % (BAR0 + 2))
    q.cmd("readq 0x%x" % BAR0)
    q.cmd("writeq 0x%x 0x1" % (BAR0 + REG["SCRATCH"]))
    check(q.alive() and q.reg("MAGIC") == 0x4e435341,
          "16-bit, unaligned and 64-bit accesses leave the device working")
    q.cfg_wr(0x04, 0x2)            # bus master off
    check(dma(q, BUF_RAM, 0, 64, 1) == 0x84, "bus mastering off: ERR_HOST")
    q.cfg_wr(0x04, 0x6)
    q.set("FW_CTRL", 1)
    check(q.reg("FW_STATUS") == 0x02, "BOOT while running ignored")

    # Reset
    q.set("RESET", 0x52534554)
    check(q.reg("FW_STATUS") == 0 and q.reg("DMA_SEQ") == 0 and
          q.reg("SCRATCH") == 0, "RESET magic: power-on state")
    bad = bytearray(img)
    bad[-3] ^= 1
    q.mem_wr(FW_RAM, bytes(bad))
    check(q.reg("FW_SIZE") == 0, "RESET cleared FW_SIZE too")
    q.set("FW_ADDR_LO", FW_RAM)
    q.set("FW_SIZE", len(bad))
    q.set("FW_CTRL", 1)
    check(q.poll("FW_STATUS", 0x01) == 0x84, "corrupt image: ERR_CHECKSUM")

    log = q.quit()
    check("ascend-npu" in log and "CRC-32" in log and
          "reserved bits" in log, "guest errors logged with -d guest_errors")
    check("ascend_npu_fw_done status 0x02 fw_version 0x010203 build "
          "'qtest image'" in log and "ascend_npu_dma_start host 0x200000"
          in log, "trace events reach the log")



# ---- The queue interface (vascend_queue_hw.h, vascend_mmu_hw.h) ----

REG.update(MAX_QUEUES=0x040, MAX_DEPTH=0x044, MAX_CTX=0x048, DB_BASE=0x04c,
           CLOCK_LO=0x050, CLOCK_HI=0x054, AQ_SQ_LO=0x080, AQ_SQ_HI=0x084,
           AQ_CQ_LO=0x088, AQ_CQ_HI=0x08c, AQ_DEPTH=0x090, AQ_CTRL=0x094,
           AQ_STATUS=0x098, FATAL=0x0a0, ECC_LO=0x0a4, ECC_HI=0x0a8,
           FAULT=0x0b0)

DB = 0x10000                    # VASCEND_DOORBELL_BASE
ASQ = 0x300000                  # admin rings in guest RAM
ACQ = 0x301000
ANSWER = 0x302000
PT = 0x400000                   # page tables
DATA = 0x800000                 # data pages (16 MiB)
ADEPTH = 8
HBM_Q = 64 << 20                # the queue tests' cards have 64 MiB of HBM
VADD = 1                        # TestVectorAdd's id in the firmware image

# opcodes and statuses
NOP, MEMCPY, MEMSET, REC, WAIT, NOTIFY, LAUNCH = range(7)
IDENTIFY, FW_STATUS, CREATE_CTX, DELETE_CTX, CREATE_Q, DELETE_Q, \
    RESET_Q, RESET_CTX, TLB_INV, DEV_RESET, TELEMETRY, GET_OPS = \
    range(0x80, 0x8c)
OK, BAD_OPCODE, BAD_FIELD, NOT_BOOTED, BAD_ID, MMU_FAULT, DMA_ERROR, \
    ECC_ERROR, OP_ERROR, ABORTED, OP_UNKNOWN, FW_CRASHED, TOO_LARGE = \
    range(13)
F_PHASE, F_STOPPED = 1, 2
PTE_V, PTE_W, PTE_L, PTE_HBM = 1, 2, 4, 8


def fw_image_full(version=0x010000, info=b"qtest queues\0",
                  ops=((VADD, 1, b"TestVectorAdd"),),
                  services=((1, 1, b"echo"), (2, 1, b"mgmt"))):
    def section(t, data):
        return struct.pack("<II", t, len(data)) + data + \
            b"\0" * ((-len(data)) % 8)
    body = section(1, info)
    body += section(2, b"".join(struct.pack("<II24s", i, v, n)
                                for i, v, n in ops))
    body += section(3, b"".join(struct.pack("<II24s", i, v, n)
                                for i, v, n in services))
    hdr = struct.pack("<IHHIIIII36x", 0x57464156, 1, 64, version,
                      64 + len(body), 0, 3, 0)
    img = bytearray(hdr + body)
    struct.pack_into("<I", img, 16, zlib.crc32(bytes(img)))
    return bytes(img)


def sqe(op, task, args=b"", flags=0, rsvd0=0):
    return struct.pack("<BBHI", op, flags, rsvd0, task) + \
        args.ljust(56, b"\0")


def cqe_unpack(b):
    f = struct.unpack("<IHHHHIQQQ", b[:40])
    return dict(task=f[0], status=f[1], flags=f[2], sq_id=f[3], sq_head=f[4],
                info=f[5], result=f[6], start=f[7], end=f[8],
                rsvd=b[40:64])


class Card:
    """One ascend-npu function: BARs, MSI-X, rings, page tables."""

    def __init__(self, q, devfn, bar0, bar2, bar4, msi, hbm):
        self.q, self.devfn = q, devfn
        self.bar0, self.bar2, self.bar4, self.msi = bar0, bar2, bar4, msi
        self.hbm = hbm
        self.rings = {}         # qid -> [sq, cq, depth, tail, head, phase]
        self.task = 1
        self.pt_next = PT
        self.setup_pci()

    def cfg(self, off, v=None):
        self.q.cmd("outl 0xcf8 0x%x" % (0x80000000 | self.devfn << 8 |
                                         (off & 0xfc)))
        if v is None:
            return self.q.val("inl 0xcfc")
        self.q.cmd("outl 0xcfc 0x%x" % v)

    def setup_pci(self):
        self.cfg(0x10, self.bar0)
        self.cfg(0x18, self.bar2 | 0xc)
        self.cfg(0x1c, 0)
        self.cfg(0x20, self.bar4)
        self.cfg(0x04, 0x6)
        ptr = self.cfg(0x34) & 0xff
        self.msix = self.pcie = 0
        while ptr:
            v = self.cfg(ptr)
            if v & 0xff == 0x11:
                self.msix = ptr
            if v & 0xff == 0x10:
                self.pcie = ptr
            ptr = (v >> 8) & 0xff
        self.cfg(self.msix, self.cfg(self.msix) | 1 << 31)
        for v in range(8):
            base = self.bar4 + 16 * v
            self.q.wr(base, self.msi + 4 * v)
            self.q.wr(base + 4, 0)
            self.q.wr(base + 8, 0xa0 + v)
            self.q.wr(base + 12, 0)
        self.clear_msi()

    def clear_msi(self):
        self.q.mem_wr(self.msi, b"\0" * 32)

    def msi_fired(self, v):
        return self.q.mem_rd(self.msi + 4 * v, 4) == bytes([0xa0 + v, 0, 0, 0])

    def reg(self, name):
        return self.q.rd(self.bar0 + REG[name])

    def set(self, name, v):
        self.q.wr(self.bar0 + REG[name], v)

    def step(self, n=1):
        for _ in range(n):
            self.q.cmd("clock_step 100000")

    def boot(self, img):
        self.q.mem_wr(FW_RAM, img)
        self.set("FW_ADDR_LO", FW_RAM)
        self.set("FW_ADDR_HI", 0)
        self.set("FW_SIZE", len(img))
        self.set("FW_CTRL", 1)
        for _ in range(100):
            st = self.reg("FW_STATUS")
            if st != 1:
                return st
            self.step()
        return st

    def enable_admin(self, sq=ASQ, cq=ACQ, depth=ADEPTH):
        self.q.mem_wr(sq, b"\0" * 0x1000)
        self.q.mem_wr(cq, b"\0" * 0x1000)
        self.set("AQ_SQ_LO", sq)
        self.set("AQ_SQ_HI", 0)
        self.set("AQ_CQ_LO", cq)
        self.set("AQ_CQ_HI", 0)
        self.set("AQ_DEPTH", depth)
        self.set("AQ_CTRL", 1)
        self.rings[0] = [sq, cq, depth, 0, 0, 1]
        return self.reg("AQ_STATUS")

    def push(self, qid, entry):
        r = self.rings[qid]
        self.q.mem_wr(r[0] + 64 * r[3], entry)
        r[3] = (r[3] + 1) % r[2]

    def ring(self, qid, tail=None):
        self.q.wr(self.bar0 + DB + qid * 0x1000,
                  self.rings[qid][3] if tail is None else tail)

    def peek(self, qid):
        r = self.rings[qid]
        c = cqe_unpack(self.q.mem_rd(r[1] + 64 * r[4], 64))
        return c if (c["flags"] & F_PHASE) == r[5] else None

    def reap(self, qid, polls=200, seconds=10):
        """The next CQE of @qid, waiting for worker threads up to @seconds
        of wall time (at least @polls steps of the virtual clock)."""
        r = self.rings[qid]
        deadline = time.monotonic() + seconds
        for i in range(1000000):
            if i >= polls and time.monotonic() > deadline:
                break
            c = self.peek(qid)
            if c:
                r[4] = (r[4] + 1) % r[2]
                if r[4] == 0:
                    r[5] ^= 1
                self.q.wr(self.bar0 + DB + qid * 0x1000 + 4, r[4])
                return c
            self.step()
        return None

    def run(self, qid, op, args=b"", expect_none=False, **kw):
        t = self.task
        self.task += 1
        self.push(qid, sqe(op, t, args, **kw))
        self.ring(qid)
        c = self.reap(qid, seconds=0.2 if expect_none else 10)
        if c and c["task"] != t:
            c["status"] = -1
        return c or dict(status=None, task=None, result=None, info=None,
                         flags=0)

    def admin(self, op, args=b""):
        return self.run(0, op, args)

    def create_queue(self, qid, ctx, depth=16, vector=2, sq=None, cq=None,
                     count=0, usecs=0):
        sq = sq if sq is not None else 0x310000 + qid * 0x2000
        cq = cq if cq is not None else sq + 0x1000
        self.q.mem_wr(sq, b"\0" * 64 * depth)
        self.q.mem_wr(cq, b"\0" * 64 * depth)
        c = self.admin(CREATE_Q, struct.pack("<HHIQQIHH", qid, vector, ctx,
                                             sq, cq, depth, count, usecs))
        if c["status"] == OK:
            self.rings[qid] = [sq, cq, depth, 0, 0, 1]
        return c["status"]

    # page tables: 4 levels, entries written into guest RAM
    def table(self):
        t = self.pt_next
        self.pt_next += 0x1000
        self.q.mem_wr(t, b"\0" * 0x1000)
        return t

    def map(self, root, va, target, length, flags, large=False):
        size = 0x200000 if large else 0x1000
        for off in range(0, length, size):
            v = va + off
            t = root
            for level in (3, 2) if large else (3, 2, 1):
                e = t + 8 * ((v >> (12 + 9 * level)) & 511)
                cur = struct.unpack("<Q", self.q.mem_rd(e, 8))[0]
                if not cur & PTE_V:
                    cur = self.table() | PTE_V
                    self.q.mem_wr(e, struct.pack("<Q", cur))
                t = cur & 0x000ffffffffff000
            level = 1 if large else 0
            e = t + 8 * ((v >> (12 + 9 * level)) & 511)
            self.q.mem_wr(e, struct.pack(
                "<Q", (target + off) | flags | PTE_V |
                (PTE_L if large else 0)))


def vadd_desc(op_id, a, b, c, n):
    hdr = struct.pack("<IHHIHHIIII32x", 0x44504f56, 1, 64, op_id, 2, 1,
                      64 + 3 * 96, 0, 64 + 3 * 96, 0)
    t = b"".join(struct.pack("<QQIIII8q", addr, 4 * n, 0, 2, 1, 0,
                             n, 0, 0, 0, 0, 0, 0, 0) for addr in (a, b, c))
    return hdr + t


def new_card(qemu, **kw):
    q = Qtest(qemu, devices=[
        "ascend-npu,id=npu0,addr=04.0,aicores=4,hbm=64M"], qmp=True,
        traces=["ascend_npu_task", "ascend_npu_admin", "ascend_npu_mmu_fault",
                "ascend_npu_fault_fired", "ascend_npu_queue_create"], **kw)
    return q, Card(q, 0x04 << 3, BAR0, BAR2, BAR4, MSI_RAM, HBM_Q)


VA_RAM = 0x100000               # 1 MiB of DATA, 4 KiB pages
VA_HBM = 0x40000000             # 8 MiB of HBM, 2 MiB pages
VA_RO = 0x300000                # a read-only page of DATA + 1 MiB
VA_BAR = 0x500000               # a page whose target is the card's own BAR0


def test_queues(qemu):
    q, n = new_card(qemu)

    check(n.reg("MAX_QUEUES") == 64 and n.reg("MAX_DEPTH") == 4096 and
          n.reg("DB_BASE") == 0x10000, "limits: 64 queues, depth 4096, "
          "doorbells at 0x10000")
    c0 = n.reg("CLOCK_LO")
    n.step(5)
    c1 = n.reg("CLOCK_LO")
    check(c1 - c0 >= 500000, "the device clock follows the virtual clock "
          "(+%d ns over 500 us)" % (c1 - c0))
    check(n.enable_admin(depth=3) == 2, "admin depth 3: AQ_STATUS ERROR")
    check(n.enable_admin() == 1, "admin queue: READY")
    c = n.admin(FW_STATUS)
    check(c["status"] == OK and c["result"] == 0 and n.msi_fired(0) and
          n.reg("IRQ_STATUS") & 8, "FW_STATUS before boot: OFF; admin CQE "
          "raised vector 0 with IRQ_ADMIN_CQ")
    check(n.admin(CREATE_CTX, struct.pack("<IIQ", 1, 0, PT))["status"] ==
          NOT_BOOTED, "CREATE_CONTEXT before boot: NOT_BOOTED")
    check(n.boot(fw_image_full()) == 2, "firmware with an op table boots")
    c = n.admin(IDENTIFY, struct.pack("<QII", ANSWER, 4096, 0))
    ident = q.mem_rd(ANSWER, 256)
    hw, fw, caps, hbm, cores = struct.unpack("<IIQQI", ident[:28])
    check(c["status"] == OK and c["result"] == 232 and hw == 0x10001 and
          fw == 0x010000 and hbm == HBM_Q and cores == 4 and caps == 0xff,
          "IDENTIFY through the admin queue: versions, caps, HBM, cores "
          "(%s %x %x %x %x %d)" % (c["status"], hw, fw, caps, hbm, cores))
    c = n.admin(GET_OPS, struct.pack("<QII", ANSWER, 4096, 0))
    check(c["status"] == OK and q.mem_rd(ANSWER, 32) ==
          struct.pack("<II24s", VADD, 1, b"TestVectorAdd"),
          "GET_OP_TABLE: TestVectorAdd")

    root = n.table()
    n.map(root, VA_RAM, DATA, 1 << 20, PTE_W)
    n.map(root, VA_RO, DATA + (1 << 20), 0x1000, 0)
    n.map(root, VA_HBM, 0, 8 << 20, PTE_W | PTE_HBM, large=True)
    n.map(root, VA_BAR, BAR0, 0x1000, PTE_W)
    check(n.admin(CREATE_CTX, struct.pack("<IIQ", 1, 0, root))["status"] ==
          OK, "CREATE_CONTEXT with a page table in guest RAM")
    check(n.create_queue(1, 1, depth=16, vector=2) == OK and
          n.create_queue(2, 1, depth=16, vector=3) == OK,
          "CREATE_QUEUE 1 (vector 2) and 2 (vector 3)")
    check(n.create_queue(3, 1, depth=24) == BAD_FIELD and
          n.create_queue(1, 1) == BAD_ID and n.create_queue(4, 9) == BAD_ID,
          "CREATE_QUEUE refusals: depth 24, queue 1 again, no context 9")

    n.clear_msi()
    c = n.run(1, NOP)
    check(c["status"] == OK and c["sq_id"] == 1 and c["sq_head"] == 1 and
          c["end"] >= c["start"] > 0 and c["rsvd"] == b"\0" * 24,
          "NOP: CQE with queue, SQ head and timestamps")
    check(n.msi_fired(2) and not n.msi_fired(3),
          "the CQE raised queue 1's vector 2 only")

    data = bytes((i * 7 + 3) & 0xff for i in range(20000))
    q.mem_wr(DATA + 0x1000, data)
    c = n.run(1, MEMCPY, struct.pack("<QQQ", VA_RAM + 0x1000,
                                     VA_HBM + 0x1ff000, len(data)))
    check(c["status"] == OK and c["result"] == len(data) and
          q.mem_rd(BAR2 + 0x1ff000, len(data)) == data,
          "MEMCPY guest RAM -> HBM across pages and a 2 MiB boundary, seen "
          "through BAR2")
    c = n.run(1, MEMCPY, struct.pack("<QQQ", VA_HBM + 0x1ff000,
                                     VA_RAM + 0x40000, len(data)))
    check(c["status"] == OK and q.mem_rd(DATA + 0x40000, len(data)) == data,
          "MEMCPY HBM -> guest RAM")
    c = n.run(1, MEMSET, struct.pack("<QQII", VA_RAM + 0x40010, 100, 0x5a, 0))
    got = q.mem_rd(DATA + 0x40000, 0x80)
    check(c["status"] == OK and got[0x10:0x74] == b"\x5a" * 100 and
          got[:0x10] == data[:0x10], "MEMSET 100 bytes, neighbours kept")

    c = n.run(1, MEMCPY, struct.pack("<QQQ", 0x7000000, VA_HBM, 64))
    check(c["status"] == MMU_FAULT and c["result"] == 0x7000000 and
          c["info"] & 0xff == 1 and (c["info"] >> 8) & 0xff == 1 and
          c["flags"] & F_STOPPED,
          "MMU fault CQE: VA 0x7000000, READ, NOT_PRESENT, queue stopped")
    check(n.run(1, NOP, expect_none=True)["status"] is None,
          "the stopped queue runs nothing")
    c = n.admin(RESET_Q, struct.pack("<H", 1))
    check(c["status"] == OK and c["result"] == 1,
          "RESET_QUEUE drops the waiting SQE")
    check(n.run(1, NOP)["status"] == OK, "and the queue runs again")
    c = n.run(1, MEMSET, struct.pack("<QQII", VA_RO, 8, 0, 0))
    check(c["status"] == MMU_FAULT and (c["info"] >> 8) & 0xff == 2 and
          c["info"] & 0xff == 2, "write to a read-only page: READ_ONLY fault")
    n.admin(RESET_Q, struct.pack("<H", 1))
    c = n.run(1, MEMSET, struct.pack("<QQII", VA_BAR, 8, 0, 0))
    check(c["status"] == MMU_FAULT and (c["info"] >> 8) & 0xff == 6 and
          q.alive(), "a page mapping the card's own BAR0: TARGET_DMA, "
          "nothing written")
    n.admin(RESET_Q, struct.pack("<H", 1))

    # events across queues
    ev = VA_RAM + 0x80000
    q.mem_wr(DATA + 0x80000, b"\0" * 32)
    t = n.task
    n.task += 2
    n.push(1, sqe(WAIT, t, struct.pack("<QQ", ev, 5)))
    n.push(1, sqe(NOP, t + 1))
    n.ring(1)
    n.step(3)
    check(n.peek(1) is None, "EVENT_WAIT for 5 parks queue 1")
    c = n.run(2, REC, struct.pack("<QQ", ev, 5))
    slot = struct.unpack("<QQ", q.mem_rd(DATA + 0x80000, 16))
    check(c["status"] == OK and slot[0] == 5 and slot[1] == c["result"] > 0,
          "EVENT_RECORD on queue 2 writes {5, timestamp}")
    c1, c2 = n.reap(1), n.reap(1)
    check(c1 and c1["task"] == t and c1["status"] == OK and c2 and
          c2["task"] == t + 1, "the record released queue 1's wait, then "
          "its NOP ran")
    n.clear_msi()
    c = n.run(2, NOTIFY, struct.pack("<QQ", ev + 16, 0xfeed))
    check(c["status"] == OK and q.mem_rd(DATA + 0x80010, 8) ==
          struct.pack("<Q", 0xfeed) and n.msi_fired(3),
          "NOTIFY writes its value and interrupts")

    # TestVectorAdd on the AI Cores: tensors in HBM, descriptor in RAM
    count = 50000
    a = struct.pack("<%df" % count, *[float(i) for i in range(count)])
    b = struct.pack("<%df" % count, *[0.5 * i for i in range(count)])
    q.mem_wr(BAR2 + 0x400000, a)
    q.mem_wr(BAR2 + 0x500000, b)
    d = vadd_desc(VADD, VA_HBM + 0x400000, VA_HBM + 0x500000,
                  VA_HBM + 0x600000, count)
    q.mem_wr(DATA + 0x90000, d)
    c = n.run(1, LAUNCH, struct.pack("<QIIII", VA_RAM + 0x90000, len(d), 0,
                                     VADD, 0))
    out = struct.unpack("<%df" % count, q.mem_rd(BAR2 + 0x600000, 4 * count))
    check(c["status"] == OK and c["result"] == 4 and
          all(out[i] == 1.5 * i for i in range(count)),
          "KERNEL_LAUNCH TestVectorAdd of 50000 floats on 4 AI Cores: right")
    c = n.run(1, LAUNCH, struct.pack("<QIIII", VA_RAM + 0x90000, len(d), 0,
                                     77, 0))
    check(c["status"] == OP_UNKNOWN, "op id 77: OP_UNKNOWN")
    n.admin(RESET_Q, struct.pack("<H", 1))
    q.mem_wr(DATA + 0x90000, b"XXXX")
    c = n.run(1, LAUNCH, struct.pack("<QIIII", VA_RAM + 0x90000, len(d), 0,
                                     VADD, 0))
    check(c["status"] == OP_ERROR and c["info"] == 0x1ffff,
          "descriptor with a bad magic: OP_ERROR (magic, header)")
    n.admin(RESET_Q, struct.pack("<H", 1))

    # negative cases: QEMU must stay up and the queue must recover
    check(n.run(1, 0x42)["status"] == BAD_OPCODE, "unknown opcode 0x42")
    n.admin(RESET_Q, struct.pack("<H", 1))
    check(n.run(1, NOP, flags=0x80)["status"] == BAD_FIELD,
          "reserved SQE flag: INVALID_FIELD")
    n.admin(RESET_Q, struct.pack("<H", 1))
    check(n.run(1, MEMCPY, struct.pack("<QQQ", VA_RAM, VA_HBM,
                                       (64 << 20) + 1))["status"] ==
          TOO_LARGE, "MEMCPY above 64 MiB: TOO_LARGE")
    n.admin(RESET_Q, struct.pack("<H", 1))
    n.ring(1, 16)
    n.ring(1, 0xffffffff)
    q.wr(BAR0 + DB + 9 * 0x1000, 1)
    q.wr(BAR0 + DB + 1 * 0x1000 + 4, 9)
    check(q.alive() and n.run(1, NOP)["status"] == OK,
          "SQ tail 16 of 16, SQ tail ~0, doorbell of queue 9, a CQ head "
          "past the tail: ignored; the queue still works")
    check(n.admin(DELETE_CTX, struct.pack("<I", 1))["status"] == 0x0d,
          "DELETE_CONTEXT in use: BUSY")

    # fault injection through the register
    n.set("FAULT", 2)
    check(n.reg("FAULT") == 2, "FAULT_INJECT dma-error armed")
    c = n.run(1, MEMSET, struct.pack("<QQII", VA_RAM, 8, 0, 0))
    check(c["status"] == DMA_ERROR and n.reg("FAULT") == 0,
          "the next MEMSET: DMA_ERROR; the fault fired once")
    n.admin(RESET_Q, struct.pack("<H", 1))

    # ... and through QMP
    r = q.qmp_cmd("qom-set", path="/machine/peripheral/npu0",
                  property="inject-fault", value="bogus")
    check("error" in r, "qom-set inject-fault bogus: refused")
    n.clear_msi()
    n.set("IRQ_STATUS", 0xffffffff)
    r = q.qmp_cmd("qom-set", path="/machine/peripheral/npu0",
                  property="inject-fault", value="ecc")
    n.step(2)
    check(r == {} and n.reg("FATAL") == 1 and n.reg("ECC_LO") == HBM_Q // 2
          and n.msi_fired(0) and n.reg("IRQ_STATUS") & 4,
          "qom-set inject-fault ecc: FATAL_STATUS ECC, ECC_ADDR, vector 0 "
          "with IRQ_FATAL")
    check(n.run(2, NOP, expect_none=True)["status"] is None,
          "queues stop after ECC")
    check(n.admin(DEV_RESET)["status"] == OK and n.reg("FATAL") == 0,
          "DEVICE_RESET clears the ECC error")
    check(n.admin(CREATE_CTX, struct.pack("<IIQ", 1, 0, root))["status"] ==
          OK and n.create_queue(1, 1) == OK and n.run(1, NOP)["status"] == OK,
          "contexts and queues come back")
    r = q.qmp_cmd("qom-get", path="/machine/peripheral/npu0",
                  property="inject-fault")
    check(r == "none", "qom-get inject-fault: none (%r)" % r)
    q.qmp_cmd("qom-set", path="/machine/peripheral/npu0",
              property="inject-fault", value="fw-crash")
    n.step(2)
    check(n.reg("FW_STATUS") == 3 and n.reg("FATAL") == 2,
          "qom-set inject-fault fw-crash: FW_STATUS CRASHED, FATAL_FW_CRASH")
    check(n.admin(FW_STATUS)["result"] == 3 and
          n.admin(TELEMETRY, struct.pack("<QII", ANSWER, 128, 0))["status"]
          == NOT_BOOTED, "after the crash only IDENTIFY/FW_STATUS answer")
    q.qmp_cmd("qom-set", path="/machine/peripheral/npu0",
              property="inject-fault", value="aicore-hang")
    r = q.qmp_cmd("qom-get", path="/machine/peripheral/npu0",
                  property="inject-fault")
    check(r == "aicore-hang", "an armed fault reads back by name")

    # PCIe FLR: the device comes back in its power-on state
    devcap = n.cfg(n.pcie + 4)
    check(devcap & 0x10000000, "Device Capabilities advertise FLR")
    n.cfg(n.pcie + 8, n.cfg(n.pcie + 8) | 0x8000)
    n.setup_pci()
    check(n.reg("FW_STATUS") == 0 and n.reg("AQ_STATUS") == 0 and
          n.reg("FATAL") == 0 and n.reg("FAULT") == 0,
          "after FLR: firmware off, admin queue off, no fault")
    check(n.boot(fw_image_full()) == 2 and n.enable_admin() == 1 and
          n.admin(FW_STATUS)["result"] == 2, "boots again after FLR")

    log = q.quit()
    check(q.rc in (0, 143, -15), "QEMU exited normally (%s)" % q.rc)
    check("ascend_npu_task queue 1 opcode 0x06" in log and
          "ascend_npu_mmu_fault queue 1 va 0x7000000" in log and
          "ascend_npu_fault_fired ecc" in log and
          "ascend_npu_admin opcode 0x84" in log and
          "ascend_npu_queue_create queue 1 context 1 depth 16 vector 2"
          in log, "trace events: task, MMU fault, fault fired, admin, queue")
    check("unknown opcode 0x42" in log and "outside the 16 entry ring" in log
          and "queue 9, which does not exist" in log,
          "guest errors logged for the bad SQE and doorbells")


def test_hostile(qemu):
    """Rings and tables pointed at places a guest must not reach."""
    q, n = new_card(qemu)
    check(n.boot(fw_image_full()) == 2, "boot")
    check(n.enable_admin(sq=BAR0 & 0xfffff000) == 1,
          "an admin SQ placed on the card's own BAR0 is accepted by "
          "registers")
    c = n.admin(FW_STATUS)
    check(q.alive() and n.reg("MAGIC") == 0x4e435341,
          "fetching SQEs from its own BAR0 neither re-enters nor "
          "crashes the device (CQE status %s)" % c["status"])
    n.set("AQ_CTRL", 0)
    n.step()
    check(n.enable_admin() == 1, "admin queue moved to RAM")
    root = n.table()
    # A page table that points at itself: level 3 entry -> the root
    q.mem_wr(root + 8 * 1, struct.pack("<Q", root | PTE_V))
    n.map(root, 0x1000, DATA, 0x1000, PTE_W)
    check(n.admin(CREATE_CTX, struct.pack("<IIQ", 1, 0, root))["status"] ==
          OK and n.create_queue(1, 1) == OK, "context with a looping table")
    c = n.run(1, MEMSET, struct.pack("<QQII", 1 << 39, 64, 0, 0))
    check(c["status"] == MMU_FAULT and q.alive(),
          "a table loop ends in a fault (reason %d level %d)" %
          ((c["info"] or 0) >> 8 & 0xff, (c["info"] or 0) >> 16 & 0xff))
    n.admin(RESET_Q, struct.pack("<H", 1))
    root2 = n.table()
    q.mem_wr(root2, struct.pack("<Q", 0xfff0000000 | PTE_V))
    check(n.admin(CREATE_CTX, struct.pack("<IIQ", 2, 0, root2))["status"] ==
          OK and n.create_queue(2, 2) == OK, "context whose table points "
          "outside guest memory")
    c = n.run(2, MEMSET, struct.pack("<QQII", 0x1000, 64, 0, 0))
    check(c["status"] == MMU_FAULT and (c["info"] >> 8) & 0xff == 5,
          "a table outside guest memory: TABLE_DMA fault")
    n.admin(RESET_Q, struct.pack("<H", 2))
    big = n.run(1, MEMCPY, struct.pack("<QQQ", 0x1000, 0x1001, 4096))
    check(big["status"] in (BAD_FIELD, MMU_FAULT) and q.alive(),
          "overlapping copy refused")
    n.admin(RESET_Q, struct.pack("<H", 1))
    n.clear_msi()
    q.cfg_wr(0x04, 0x2)
    n.q.wr(BAR0 + DB + 0x1000, n.rings[1][3])  # memory decode is off: lost
    n.cfg(0x04, 0x6)
    check(q.alive(), "doorbell with memory decoding off: harmless")
    # Many SQEs at once: deep ring, bounded work per bottom half
    n.create_queue(3, 1, depth=256, sq=0x340000, cq=0x350000)
    for i in range(255):
        n.push(3, sqe(NOP, 10000 + i))
    n.ring(3)
    got = 0
    for _ in range(255):
        c = n.reap(3)
        if not c or c["task"] != 10000 + got:
            break
        got += 1
    check(got == 255, "255 NOPs in one doorbell: all complete in order")
    log = q.quit()
    check(q.rc in (0, 143, -15), "QEMU exited normally (%s)" % q.rc)


def test_two_cards(qemu):
    q = Qtest(qemu, devices=[
        "ascend-npu,id=npu0,addr=04.0,aicores=2,hbm=32M,soc=CardA",
        "ascend-npu,id=npu1,addr=05.0,aicores=6,hbm=64M,soc=CardB"])
    a = Card(q, 0x04 << 3, 0xE0000000, 0xC0000000, 0xE0100000, 0x10000,
             32 << 20)
    b = Card(q, 0x05 << 3, 0xE0200000, 0xC8000000, 0xE0300000, 0x10080,
             64 << 20)
    ok = True
    for card, cores in ((a, 2), (b, 6)):
        card.pt_next = PT + (0 if card is a else 0x80000)
        ok &= card.boot(fw_image_full()) == 2
        ok &= card.enable_admin(sq=ASQ + (0 if card is a else 0x4000),
                                cq=ACQ + (0 if card is a else 0x4000)) == 1
        c = card.admin(IDENTIFY, struct.pack("<QII", ANSWER, 64, 0))
        ok &= c["status"] == OK and struct.unpack(
            "<I", q.mem_rd(ANSWER + 24, 4))[0] == cores
    check(ok, "two cards in one VM: each boots and identifies itself")
    roots = []
    for i, card in enumerate((a, b)):
        r = card.table()
        card.map(r, 0x10000, DATA + i * 0x100000, 0x10000, PTE_W)
        card.map(r, 0x40000000, 0, 2 << 20, PTE_W | PTE_HBM, large=True)
        roots.append(r)
        card.admin(CREATE_CTX, struct.pack("<IIQ", 1, 0, r))
        card.create_queue(1, 1, sq=0x320000 + i * 0x4000)
    q.mem_wr(DATA, b"A" * 4096)
    q.mem_wr(DATA + 0x100000, b"B" * 4096)
    ca = a.run(1, MEMCPY, struct.pack("<QQQ", 0x10000, 0x40000000, 4096))
    cb = b.run(1, MEMCPY, struct.pack("<QQQ", 0x10000, 0x40000000, 4096))
    check(ca["status"] == OK and cb["status"] == OK and
          q.mem_rd(0xC0000000, 4) == b"AAAA" and
          q.mem_rd(0xC8000000, 4) == b"BBBB",
          "each card copies into its own HBM through its own page table")
    log = q.quit()
    check(q.rc in (0, 143, -15), "QEMU exited normally (%s)" % q.rc)


# ---- The operator library and the model runner (vascend_op.h, .om) ----

MODEL_EXEC = 7
F32, ND = 0, 2                  # aclDataType float32, aclFormat ND
OP_ERR_SHAPE = 9                # VASCEND_OP_ERR_SHAPE


def fw_ops_txt():
    """The op table of firmware/ops.txt as fw_image_full() takes it."""
    ops = []
    with open(os.path.join(TOP, "firmware", "ops.txt")) as f:
        for line in f:
            line = line.split("#")[0].split()
            if line:
                ops.append((int(line[0], 0), int(line[1]), line[2].encode()))
    return tuple(ops)


def tensor_desc(addr, dims, dtype=F32, fmt=ND, esize=4):
    n = 1
    for d in dims:
        n *= d
    return struct.pack("<QQIIII8q", addr, n * esize, dtype, fmt, len(dims),
                       0, *(list(dims) + [0] * (8 - len(dims))))


def op_desc(op_id, inputs, outputs):
    """A descriptor without attributes: (addr, dims) per tensor."""
    t = b"".join(tensor_desc(a, d) for a, d in inputs + outputs)
    size = 64 + len(t)
    return struct.pack("<IHHIHHIIII32x", 0x44504f56, 1, 64, op_id,
                       len(inputs), len(outputs), size, 0, size, 0) + t


def f32(values):
    return struct.pack("<%df" % len(values), *values)


def crc32c(data):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 if c & 1 else 0)
        table.append(c)
    crc = 0xffffffff
    for b in data:
        crc = table[(crc ^ b) & 0xff] ^ (crc >> 8)
    return crc ^ 0xffffffff


def om_relu_add(op_add, op_relu):
    """A two-task .om (userspace/om/om_format.h): y = Relu(x + w), x and y
    [2, 3] float32, w [3] a weight, x + w in the workspace."""
    strings = b"\0x\0y\0w\0t\0add\0relu\0qtest\0"
    name = {n: strings.index(b"\0" + n + b"\0") + 1
            for n in (b"x", b"y", b"w", b"t", b"add", b"relu", b"qtest")}

    def tensor(nm, dims, place, index=0, offset=0):
        n = 1
        for d in dims:
            n *= d
        return struct.pack("<IIII8qIIQQII4I", name[nm], F32, ND, len(dims),
                           *(list(dims) + [0] * (8 - len(dims))), place,
                           index, offset, 4 * n, 0xffffffff, 0, 0, 0, 0, 0)

    def io(nm, tensor_idx):
        return struct.pack("<IIII8qQI9I", name[nm], F32, ND, 2, 2, 3,
                           *[0] * 6, 24, tensor_idx, *[0] * 9)

    tensors = (tensor(b"x", (2, 3), 1) + tensor(b"y", (2, 3), 2) +
               tensor(b"w", (3,), 3) + tensor(b"t", (2, 3), 4))
    tasks = (struct.pack("<IHHIIIIII", op_add, 2, 1, 0, 0, 0, name[b"add"],
                         0, 0) +
             struct.pack("<IHHIIIIII", op_relu, 1, 1, 3, 0, 0, name[b"relu"],
                         0, 0))
    operands = struct.pack("<5I", 0, 2, 3, 3, 1)
    weights = f32([-1.0, 0.5, 2.0])
    secs = [strings, io(b"x", 0) + io(b"y", 1), tensors, tasks, operands,
            b"", b"", weights]
    body, table, off = b"", [], 256
    for sec in secs:
        if not sec:
            table.append((0, 0))
            continue
        table.append((off, len(sec)))
        pad = (-len(sec)) % 64
        body += sec + b"\0" * pad
        off += len(sec) + pad
    hdr = struct.pack("<IHHIIQIIQIIIIIIII32s", 0x314d4f56, 1, 0, 256, 0,
                      256 + len(body), 0, 8, 64, 1, 1, 4, 2, 5, 0,
                      name[b"qtest"], 0, b"Ascend910B3")
    hdr += b"".join(struct.pack("<QQ", o, n) for o, n in table)
    hdr += b"\0" * 24
    img = bytearray(hdr + body)
    struct.pack_into("<I", img, 24, crc32c(bytes(img)))
    return bytes(img)


def ops_card(qemu, mode):
    """A card running firmware/ops.txt's table, context 1 with RAM at
    VA_RAM and 8 MiB of HBM at VA_HBM, IO queue 1."""
    dev = "ascend-npu,id=npu0,addr=04.0,aicores=4,hbm=64M"
    if mode:
        dev += ",ops=" + mode
    q = Qtest(qemu, devices=[dev], traces=["ascend_npu_ops",
                                           "ascend_npu_task",
                                           "ascend_npu_job_start"])
    n = Card(q, 0x04 << 3, BAR0, BAR2, BAR4, MSI_RAM, HBM_Q)
    ops = fw_ops_txt()
    ok = n.boot(fw_image_full(ops=ops)) == 2 and n.enable_admin() == 1
    root = n.table()
    n.map(root, VA_RAM, DATA, 1 << 20, PTE_W)
    n.map(root, VA_HBM, 0, 8 << 20, PTE_W | PTE_HBM, large=True)
    ok = ok and n.admin(CREATE_CTX, struct.pack("<IIQ", 1, 0, root))[
        "status"] == OK and n.create_queue(1, 1) == OK
    return q, n, ok, {name.decode(): i for i, _, name in ops}


def test_ops(qemu, mode=None):
    q, n, ok, ids = ops_card(qemu, mode)
    check(ok and "Add" in ids and "Relu" in ids, "%d-op firmware table "
          "(firmware/ops.txt) boots; context and queue up" % len(ids))
    label = "ops=%s" % (mode or "fast (default)")
    c = n.admin(GET_OPS, struct.pack("<QII", ANSWER, 4096, 0))
    table = q.mem_rd(ANSWER, 32 * len(ids))
    got = {table[i + 8:i + 32].rstrip(b"\0").decode():
           struct.unpack_from("<I", table, i)[0]
           for i in range(0, len(table), 32)}
    check(c["status"] == OK and c["result"] == 32 * len(ids) and got == ids,
          "%s: GET_OP_TABLE returns the %d ops with their ids" %
          (label, len(ids)))

    # Add of fp32 with numpy broadcasting: [4, 64, 300] + [64, 1]
    shape_a, shape_b = (4, 64, 300), (64, 1)
    na = 4 * 64 * 300
    a = [((i * 37) % 1001) * 0.25 - 100.0 for i in range(na)]
    b = [float(j) * 0.5 - 7.0 for j in range(64)]
    q.mem_wr(BAR2 + 0x100000, f32(a))
    q.mem_wr(BAR2 + 0x200000, f32(b))
    d = op_desc(ids["Add"], [(VA_HBM + 0x100000, shape_a),
                             (VA_HBM + 0x200000, shape_b)],
                [(VA_HBM + 0x400000, shape_a)])
    q.mem_wr(DATA + 0x1000, d)
    c = n.run(1, LAUNCH, struct.pack("<QIIII", VA_RAM + 0x1000, len(d), 0,
                                     ids["Add"], 0), )
    got = struct.unpack("<%df" % na, q.mem_rd(BAR2 + 0x400000, 4 * na))
    want = [a[i] + b[(i // 300) % 64] for i in range(na)]
    check(c["status"] == OK and list(got) == want,
          "%s: KERNEL_LAUNCH Add fp32 [4,64,300] + [64,1] on the real "
          "device: every element right (status %s)" % (label, c["status"]))

    # Bad shapes: [2, 3] + [4] does not broadcast; operand 1 is named.
    d = op_desc(ids["Add"], [(VA_HBM + 0x100000, (2, 3)),
                             (VA_HBM + 0x200000, (4,))],
                [(VA_HBM + 0x400000, (2, 3))])
    q.mem_wr(DATA + 0x2000, d)
    c = n.run(1, LAUNCH, struct.pack("<QIIII", VA_RAM + 0x2000, len(d), 0,
                                     ids["Add"], 0))
    check(c["status"] == OP_ERROR and c["info"] == (OP_ERR_SHAPE << 16 | 1)
          and q.alive(), "%s: Add [2,3] + [4]: OP_ERROR SHAPE of input 1 "
          "(info 0x%x), QEMU alive" % (label, c["info"] or 0))
    n.admin(RESET_Q, struct.pack("<H", 1))
    # An output whose shape is not the broadcast one: operand 2 (output 0).
    d = op_desc(ids["Add"], [(VA_HBM + 0x100000, (2, 3)),
                             (VA_HBM + 0x200000, (3,))],
                [(VA_HBM + 0x400000, (3, 2))])
    q.mem_wr(DATA + 0x2000, d)
    c = n.run(1, LAUNCH, struct.pack("<QIIII", VA_RAM + 0x2000, len(d), 0,
                                     ids["Add"], 0))
    check(c["status"] == OP_ERROR and c["info"] == (OP_ERR_SHAPE << 16 | 2),
          "%s: Add with output [3,2] for [2,3]: OP_ERROR SHAPE of "
          "operand 2, the output (info 0x%x)" % (label, c["info"] or 0))
    n.admin(RESET_Q, struct.pack("<H", 1))

    # MODEL_EXECUTE of a two-task .om: y = Relu(x + w)
    img = om_relu_add(ids["Add"], ids["Relu"])
    x = [1.0, -2.0, 0.25, -0.5, 3.0, -4.0]
    q.mem_wr(BAR2 + 0x600000, img)
    q.mem_wr(BAR2 + 0x700000, f32(x))
    q.mem_wr(BAR2 + 0x700100, f32([-9.0] * 6))
    binds = struct.pack("<6Q", VA_HBM + 0x700000, 24, VA_HBM + 0x700100, 24,
                        VA_HBM + 0x700200, 64)
    q.mem_wr(DATA + 0x3000, binds)
    c = n.run(1, MODEL_EXEC, struct.pack("<QQQHHIII", VA_HBM + 0x600000,
                                         len(img), VA_RAM + 0x3000, 1, 1,
                                         0, 0, 0))
    y = struct.unpack("<6f", q.mem_rd(BAR2 + 0x700100, 24))
    w = [-1.0, 0.5, 2.0]
    want = [max(0.0, x[i] + w[i % 3]) for i in range(6)]
    check(c["status"] == OK and list(y) == want,
          "%s: MODEL_EXECUTE of a 2-task .om (Add with a weight, Relu): "
          "%s (status %s info 0x%x)" % (label, list(y), c["status"],
                                        c["info"] or 0))
    # Again, from the device's model cache: its tasks never spread over
    # AI Cores, so no helper job wakes this time.
    q.mem_wr(BAR2 + 0x700100, f32([-9.0] * 6))
    c = n.run(1, MODEL_EXEC, struct.pack("<QQQHHIII", VA_HBM + 0x600000,
                                         len(img), VA_RAM + 0x3000, 1, 1,
                                         0, 0, 0))
    y2 = struct.unpack("<6f", q.mem_rd(BAR2 + 0x700100, 24))
    log = q.quit()
    check("ascend_npu_ops operator library paths: %s" % (mode or "fast")
          in log, "%s: the device reports its operator paths" % label)
    # Job kinds (anpu_job.h): 5 the model job, 6 an AI Core helper. A
    # helper may start before its model job: count them over both runs.
    models = log.count("ascend_npu_job_start kind 5 ")
    helpers = log.count("ascend_npu_job_start kind 6 ")
    check(c["status"] == OK and list(y2) == want and models == 2 and
          helpers == 3, "%s: the cached model again: same result; %d AI "
          "Core helper jobs over %d executions (4 cores: 3 the first time, "
          "none after)" % (label, helpers, models))


def test_ops_reference(qemu):
    test_ops(qemu, "reference")


def test_cmdline(qemu):
    """Bad properties stop QEMU with one clear line."""
    for prop, want in (("hbm=3M", "hbm must be a power of two"),
                       ("aicores=65", "aicores must be between 1 and 64"),
                       ("hdc-dir=/nonexistent/vascend", "is not a directory"),
                       ("inject-fault=ecc", "inject-fault is for a running "
                        "device"),
                       ("ops=turbo", 'ops must be "fast" or "reference", '
                        'not "turbo"')):
        r = subprocess.run(
            ["timeout", "60", qemu, "-machine", "q35", "-accel", "qtest",
             "-display", "none", "-nodefaults", "-qtest", "null",
             "-L", os.path.join(os.path.dirname(qemu), "optionrom"),
             "-L", "/usr/share/seabios", "-device", "ascend-npu," + prop],
            stdin=subprocess.DEVNULL, capture_output=True, text=True)
        check(r.returncode == 1 and want in r.stderr,
              "-device ascend-npu,%s: refused (%s)" % (
                  prop, r.stderr.strip().splitlines()[-1:]))


def main():
    qemu = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(TOP, "build", "qemu", "qemu-system-x86_64")
    for t in (test_basics, test_queues, test_hostile, test_two_cards,
              test_ops, test_ops_reference, test_cmdline):
        print("# %s" % t.__name__, flush=True)
        try:
            t(qemu)
        except Exception as e:          # a dead or hung QEMU, a bad reply
            check(False, "%s raised %r" % (t.__name__, e))
    print("1..%d" % count)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
